import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { checkLabelSelector } from "../admission/label-selector.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { Duration } from "../shared/duration.js";
import { ExpressionRule } from "../shared/expression-rule.js";
import { JsonObject } from "../shared/json-object.js";
import { LabelSelector } from "../shared/label-selector.js";
import { Parameter } from "../shared/parameter.js";
import { TokenUsage } from "../shared/token-usage.js";
import { BaselineCase } from "../contracts/evaluator.js";
import { admitEvaluationConfig, checkEvaluatorParameters } from "../admission/evaluation.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const EvaluationType = z.enum(["direct", "baseline", "query", "batch", "event"]);
export type EvaluationType = z.output<typeof EvaluationType>;
const ChildEvaluationType = z.enum(["direct", "query", "baseline", "event"]);
const EvaluationPhase = z.enum(["pending", "running", "error", "done", "canceled"]);
const SCORE_PATTERN = /^(0(\.[0-9]+)?|1(\.0+)?)$/;

export const EvaluationEvaluatorRef = z.object({
  name: z.string().min(1),
  namespace: z.string().optional().describe("Defaults to the evaluation's namespace."),
  parameters: z.array(Parameter).optional().describe("Each needs a name and a literal value."),
});
export type EvaluationEvaluatorRef = z.output<typeof EvaluationEvaluatorRef>;

const NamespacedName = z.object({ name: z.string().min(1), namespace: z.string().optional() });

export const EvaluationConfig = z
  .object({
    input: z.string().optional().describe("direct: the input that was asked."),
    output: z.string().optional().describe("direct: the answer to judge."),
    queryRef: z
      .object({
        name: z.string().min(1),
        namespace: z.string().optional(),
        responseTarget: z.string().optional().describe("type:name of the response to judge, e.g. agent:weather."),
      })
      .optional()
      .describe("query: the Query whose responses are judged."),
    items: z
      .array(
        z.object({
          name: z.string().optional(),
          type: ChildEvaluationType,
          config: JsonObject,
          evaluator: EvaluationEvaluatorRef,
          ttl: Duration.optional(),
          timeout: Duration.optional(),
        }),
      )
      .optional()
      .describe("batch: evaluations to create, as children of this one."),
    template: z
      .object({
        namePrefix: z.string().optional(),
        evaluator: EvaluationEvaluatorRef,
        type: ChildEvaluationType,
        config: JsonObject,
        parameters: z.array(Parameter).optional(),
      })
      .optional()
      .describe("batch: template of the child evaluation made for each query querySelector selects."),
    querySelector: LabelSelector.optional().describe("batch: queries to evaluate with the template."),
    evaluations: z.array(NamespacedName).optional().describe("batch: existing Evaluations to aggregate."),
    concurrency: z.int32().min(1).default(10).describe("batch and dataset: children (or cases) running at once, at most."),
    continueOnFailure: z.boolean().default(false).describe("batch: keep starting children after one ended in error."),
    rules: z.array(ExpressionRule).optional().describe("event: rules evaluated against the query's events."),
    dataset: z
      .object({
        configMapRef: z
          .object({ name: z.string().min(1), key: z.string().min(1).optional().describe("Optional when the ConfigMap has one key.") })
          .optional()
          .describe("A ConfigMap key holding a list of {input, expected} cases, JSON or YAML."),
        cases: z.array(BaselineCase).optional().describe("The cases inline (what `ark eval <file>` sends)."),
      })
      .optional()
      .describe("baseline: cases, each run against target and judged; exactly one of configMapRef and cases."),
    target: z
      .object({ type: z.enum(["agent", "team", "model"]), name: z.string().min(1) })
      .optional()
      .describe("baseline with dataset: what answers each case (a Query per case)."),
  })
  .describe("Type-specific settings; only the fields of spec.type apply.");
export type EvaluationConfig = z.output<typeof EvaluationConfig>;

export const EvaluationSpec = z.object({
  type: EvaluationType.default("direct"),
  config: EvaluationConfig,
  evaluator: EvaluationEvaluatorRef.optional().describe("The Evaluator that scores this evaluation."),
  ttl: Duration.default("720h"),
  timeout: Duration.default("5m"),
});
export type EvaluationSpec = z.output<typeof EvaluationSpec>;

export const EvaluationStatus = z.object({
  phase: EvaluationPhase.optional(),
  message: z.string().optional(),
  score: z.string().regex(SCORE_PATTERN).optional().describe("Between 0 and 1."),
  passed: z.boolean().optional(),
  tokenUsage: TokenUsage.optional(),
  duration: Duration.optional(),
  metadata: z.record(z.string(), z.string()).optional().describe("The evaluator's result metadata (reasoning, criteria scores…)."),
  dataset: z
    .object({
      total: z.int32().min(0),
      passed: z.int32().min(0),
      passRate: z.string().optional().describe("Passed cases over judged cases, 0..1."),
      meanScore: z.string().optional().describe("Mean score of the judged cases, 0..1."),
      cases: z.array(
        z.object({
          name: z.string(),
          input: z.string(),
          expected: z.string().optional(),
          output: z.string().optional(),
          phase: EvaluationPhase,
          score: z.string().optional(),
          passed: z.boolean().optional(),
          reasoning: z.string().optional(),
          message: z.string().optional(),
        }),
      ),
    })
    .optional()
    .describe("baseline with dataset: the results table, one row per case."),
  batchProgress: z
    .object({
      total: z.int32().min(0).optional(),
      completed: z.int32().min(0).optional(),
      failed: z.int32().min(0).optional(),
      running: z.int32().min(0).optional(),
      childEvaluations: z
        .array(
          z.object({
            name: z.string(),
            phase: EvaluationPhase.optional(),
            score: z.string().optional(),
            passed: z.boolean().optional(),
            message: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  ...reconcileStatusShape,
});
export type EvaluationStatus = z.output<typeof EvaluationStatus>;

export function admitEvaluation(spec: EvaluationSpec): FieldError[] {
  return [
    ...admitEvaluationConfig(spec),
    ...checkEvaluatorParameters(spec.evaluator?.parameters, "spec.evaluator.parameters"),
    ...checkLabelSelector(spec.config.querySelector, "spec.config.querySelector"),
    ...checkNonNegativeDuration(spec.ttl, "spec.ttl", "ttl"),
    ...checkNonNegativeDuration(spec.timeout, "spec.timeout", "timeout"),
  ];
}

export const evaluationKind: KindDefinition<typeof EvaluationSpec, typeof EvaluationStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Evaluation",
  listKind: "EvaluationList",
  plural: "evaluations",
  singular: "evaluation",
  spec: EvaluationSpec,
  status: EvaluationStatus,
  printerColumns: [
    { name: "Type", type: "string", jsonPath: ".spec.type" },
    PHASE_COLUMN,
    { name: "Score", type: "string", jsonPath: ".status.score" },
    { name: "Passed", type: "boolean", jsonPath: ".status.passed" },
    AGE_COLUMN,
  ],
  admit: ({ spec }) => admitEvaluation(spec),
};
