import { commonServiceConfig, envEnum, envPort } from "@ark/service-kit";
import { z } from "zod";

export const executorConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(8003),
    /** `token` (default): callers send `Authorization: Bearer <ENGINE_TOKEN>`; `none` must be set explicitly. */
    ENGINE_AUTH: envEnum(["token", "none"]).default("token"),
    /** Shared with ark-controller (its ENGINE_TOKEN); or ENGINE_TOKEN_FILE, a file holding it. */
    ENGINE_TOKEN: z.string().min(16).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.ENGINE_AUTH === "token" && !config.ENGINE_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["ENGINE_TOKEN"], message: "is required (at least 16 characters; or ENGINE_TOKEN_FILE) unless ENGINE_AUTH=none" });
    }
  });

export type ExecutorConfig = z.output<typeof executorConfig>;
