import { commonServiceConfig, envInt, envPort, envUrl } from "@ark/service-kit";
import { z } from "zod";

export const memoryConfig = commonServiceConfig.extend({
  PORT: envPort().default(8002),
  /** Unset: the embedded PostgreSQL under $ARK_HOME/pg. */
  DATABASE_URL: envUrl({ protocols: ["postgres:", "postgresql:"] }).optional(),
  /** Largest PUT body; upstream allowed 10 MB. Other routes keep BODY_LIMIT_BYTES. */
  MAX_BODY_BYTES: envInt({ min: 1 }).default(10 * 1024 * 1024),
  DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
  /** Upstream's table name; accepted so its deployments start, but the tables are fixed by the migrations. */
  TABLE_NAME: z.string().regex(/^[a-zA-Z0-9_]+$/, "must match ^[a-zA-Z0-9_]+$").optional(),
});

export type MemoryConfig = z.output<typeof memoryConfig>;
