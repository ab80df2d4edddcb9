import { z } from "zod";
import { eventBase } from "./common.js";

export const EvaluationCompletedEvent = z.object({
  ...eventBase,
  type: z.literal("evaluation.completed"),
  evaluator: z.string().describe("The Evaluator resource (namespace/name)."),
  score: z.string().describe("0..1, as a string (the evaluator contract)."),
  passed: z.boolean(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type EvaluationCompletedEvent = z.output<typeof EvaluationCompletedEvent>;
