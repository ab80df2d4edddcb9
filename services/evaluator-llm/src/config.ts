import { busConfigShape, commonServiceConfig, envDuration, envEnum, envInt, envPort } from "@ark/service-kit";
import { z } from "zod";

export const evaluatorConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(8001),
    /** Unset: KUBECONFIG's standard lookup (in-cluster, then ~/.kube/config); the dev stack passes the path. */
    KUBECONFIG: z.string().min(1).optional(),
    /** Where `event` evaluations read a query's recorded events; unset: the in-process bus (the dev stack passes its own). */
    ...busConfigShape,
    /** `token` (default): callers send a namespace token minted with EVALUATOR_AUTH_SECRET; `none` must be set explicitly. */
    EVALUATOR_AUTH: envEnum(["token", "none"]).default("token"),
    /** Shared with ark-controller (its EVALUATOR_AUTH_SECRET), which mints one token per evaluation namespace. No default. */
    EVALUATOR_AUTH_SECRET: z.string().min(32).optional(),
    /** How long one judge call may take. */
    JUDGE_TIMEOUT: envDuration().default(60_000),
    /** Baseline cases judged at once. */
    JUDGE_CONCURRENCY: envInt({ min: 1, max: 64 }).default(4),
  })
  .superRefine((config, ctx) => {
    if (config.EVALUATOR_AUTH === "token" && !config.EVALUATOR_AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["EVALUATOR_AUTH_SECRET"], message: "is required (at least 32 characters) unless EVALUATOR_AUTH=none" });
    }
  });

export type EvaluatorConfig = z.output<typeof evaluatorConfig>;
