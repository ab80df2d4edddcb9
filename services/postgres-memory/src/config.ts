import { commonServiceConfig, envEnum, envInt, envPort, envUrl } from "@ark/service-kit";
import { z } from "zod";

export const memoryConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(8002),
    /** Unset: the embedded PostgreSQL under $ARK_HOME/pg. */
    DATABASE_URL: envUrl({ protocols: ["postgres:", "postgresql:"] }).optional(),
    /** Largest PUT body; upstream allowed 10 MB. Other routes keep BODY_LIMIT_BYTES. */
    MAX_BODY_BYTES: envInt({ min: 1 }).default(10 * 1024 * 1024),
    DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
    /** Upstream's table name; accepted so its deployments start, but the tables are fixed by the migrations. */
    TABLE_NAME: z
      .string()
      .regex(/^[a-zA-Z0-9_]+$/, "must match ^[a-zA-Z0-9_]+$")
      .optional(),
    /** `token` (default): callers send a namespace token minted with MEMORY_AUTH_SECRET; `none` must be set explicitly. */
    MEMORY_AUTH: envEnum(["token", "none"]).default("token"),
    /** Shared with the worker (the controller's MEMORY_AUTH_SECRET), which mints one token per Memory namespace. No default. */
    MEMORY_AUTH_SECRET: z.string().min(32).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.MEMORY_AUTH === "token" && !config.MEMORY_AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["MEMORY_AUTH_SECRET"], message: "is required (at least 32 characters) unless MEMORY_AUTH=none" });
    }
  });

export type MemoryConfig = z.output<typeof memoryConfig>;
