import { z } from "zod";
import { ExpressionRule } from "../shared/expression-rule.js";
import { TokenUsage } from "../shared/token-usage.js";
import { QueryTargetResponse } from "../kinds/query.js";

/**
 * The one evaluator contract (docs/upstream-compat.md §10, docs/architecture.md §7): what ark-controller POSTs
 * to an Evaluator's resolved address and what an evaluator (evaluator-llm, or one a user writes) answers.
 * Two request shapes are accepted, as upstream sends both: the unified request of an Evaluation, and the
 * query-evaluator request of a Query's `spec.evaluators`. Scores are 0..1, as strings.
 */

/** Parameters as the evaluator receives them: every value resolved to a string. */
export const EvaluatorParameters = z.record(z.string(), z.string());
export type EvaluatorParameters = z.output<typeof EvaluatorParameters>;

export const UnifiedEvaluationType = z.enum(["direct", "query", "baseline", "event"]);
export type UnifiedEvaluationType = z.output<typeof UnifiedEvaluationType>;

/** A baseline case: an input and what a good answer looks like (datasets are lists of these). */
export const BaselineCase = z.object({
  name: z.string().optional(),
  input: z.string(),
  expected: z.string().optional(),
  /** The target's answer, when the caller ran the target already. */
  output: z.string().optional(),
});
export type BaselineCase = z.output<typeof BaselineCase>;

/** The request an Evaluation sends (upstream's unified shape). `type: ""` means direct, as upstream. */
export const UnifiedEvaluationRequest = z.object({
  type: z.union([UnifiedEvaluationType, z.literal("")]).transform((t) => (t === "" ? "direct" : t)),
  config: z
    .object({
      input: z.string().optional(),
      output: z.string().optional(),
      queryRef: z.object({ name: z.string().min(1), namespace: z.string().optional(), responseTarget: z.string().optional() }).optional(),
      rules: z.array(ExpressionRule).optional(),
      cases: z.array(BaselineCase).optional(),
    })
    .passthrough()
    .default({}),
  parameters: EvaluatorParameters.default({}),
  evaluatorName: z.string().optional(),
});
export type UnifiedEvaluationRequest = z.output<typeof UnifiedEvaluationRequest>;

/** The request a Query's `spec.evaluators` sends (upstream's query-evaluator shape), plus the evaluator's parameters. */
export const QueryEvaluationRequest = z.object({
  queryId: z.string(),
  input: z.string(),
  responses: z.array(QueryTargetResponse),
  query: z.record(z.string(), z.unknown()),
  parameters: EvaluatorParameters.optional(),
  evaluatorName: z.string().optional(),
});
export type QueryEvaluationRequest = z.output<typeof QueryEvaluationRequest>;

/** `"0"`, `"0.85"`, `"1"`, `"1.0"`: the pattern Evaluation.status.score is admitted with. */
export const EvaluatorScore = z.string().regex(/^(0(\.[0-9]+)?|1(\.0+)?)$/, "a score is a decimal in 0..1");

export const EvaluatorResponse = z.object({
  score: EvaluatorScore.optional(),
  passed: z.boolean().default(false),
  /** Reasoning, per-criterion scores, per-rule results…: string values (they become annotations upstream). */
  metadata: z.record(z.string(), z.string()).optional(),
  /** Non-empty: the evaluation failed; the text says why. */
  error: z.string().optional(),
  tokenUsage: TokenUsage.optional(),
});
export type EvaluatorResponse = z.output<typeof EvaluatorResponse>;

/**
 * The variables an event rule's CEL expression sees: `events` (the query's execution events, each with `type`,
 * `tool`, `arguments`, `result`, `error`…), `query` (the Query object) and `response` (`{content}`, the answer
 * judged). Admission compiles rules against these, evaluator-llm evaluates them with these.
 */
export const EVENT_RULE_VARIABLES = { events: "list<dyn>", query: "dyn", response: "dyn" } as const;
