import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { forbidden, required } from "../admission/field-errors.js";
import { checkLabelSelector } from "../admission/label-selector.js";
import { checkParameters } from "../admission/parameters.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { Duration } from "../shared/duration.js";
import { LabelSelector } from "../shared/label-selector.js";
import { Parameter } from "../shared/parameter.js";
import { TokenUsage } from "../shared/token-usage.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const QueryTarget = z.object({
  type: z.enum(["agent", "team", "model", "tool"]),
  name: z.string().min(1),
});
export type QueryTarget = z.output<typeof QueryTarget>;

const NamespacedName = z.object({
  name: z.string().min(1),
  namespace: z.string().optional().describe("Defaults to the query's namespace."),
});

export const QuerySpec = z.object({
  input: z.string().min(1).describe("User message; a Go template over parameters when parameters are set."),
  parameters: z.array(Parameter).optional().describe("Values for the input template."),
  target: QueryTarget.optional().describe("The single target to run; an alternative to targets."),
  targets: z.array(QueryTarget).optional().describe("Targets run in parallel, each answering the input."),
  selector: LabelSelector.optional().describe("Adds the Agents, Teams, Models and Tools with matching labels as targets."),
  memory: NamespacedName.optional().describe("Memory for the conversation; the Memory named default when absent."),
  evaluators: z.array(NamespacedName).optional(),
  evaluatorSelector: LabelSelector.optional().describe("Selects Evaluators in the query's namespace; excludes evaluators."),
  serviceAccount: z.string().min(1).optional().describe("Identity the query runs as; default."),
  sessionId: z.string().min(1).optional().describe("Memory session; the query's uid when absent."),
  ttl: Duration.default("720h").describe("The query is deleted this long after creation."),
  timeout: Duration.default("5m").describe("Execution timeout of each target."),
  cancel: z.boolean().optional().describe("Set to true to cancel a pending or running query."),
});
export type QuerySpec = z.output<typeof QuerySpec>;

export const QueryPhase = z.enum(["pending", "running", "evaluating", "error", "done", "canceled"]);
export type QueryPhase = z.output<typeof QueryPhase>;

export const QueryTargetResponse = z.object({ target: QueryTarget, content: z.string() });
export type QueryTargetResponse = z.output<typeof QueryTargetResponse>;

export const QueryTargetError = z.object({ target: QueryTarget, message: z.string() });
export type QueryTargetError = z.output<typeof QueryTargetError>;

export const QueryEvaluationResult = z.object({
  evaluatorName: z.string(),
  score: z.string().optional(),
  passed: z.boolean().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type QueryEvaluationResult = z.output<typeof QueryEvaluationResult>;

export const QueryStatus = z.object({
  phase: QueryPhase.optional(),
  message: z.string().optional().describe("Why the query is in its phase, e.g. the error of a failed target."),
  responses: z.array(QueryTargetResponse).optional().describe("Answers of the targets that succeeded, in completion order."),
  response: QueryTargetResponse.optional().describe("The answer when the query has exactly one target."),
  errors: z.array(QueryTargetError).optional().describe("Targets that failed, with their error."),
  evaluations: z.array(QueryEvaluationResult).optional(),
  tokenUsage: TokenUsage.optional(),
  evaluationTokenUsage: TokenUsage.optional().describe("Tokens the evaluators of spec.evaluators used judging (not in tokenUsage)."),
  duration: Duration.optional().describe("Wall time from start to the final phase."),
  ...reconcileStatusShape,
});
export type QueryStatus = z.output<typeof QueryStatus>;

/** The targets a query names explicitly, whichever of target/targets was used. */
export function queryTargets(spec: Pick<QuerySpec, "target" | "targets">): QueryTarget[] {
  return spec.target ? [spec.target] : [...(spec.targets ?? [])];
}

export function admitQuery(spec: QuerySpec): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.target && spec.targets?.length) {
    errors.push(forbidden("spec.target", "cannot specify both target and targets; use one of them"));
  } else if (!spec.target && !spec.targets?.length && !spec.selector) {
    errors.push(required("spec.targets", "at least one target or selector must be specified"));
  }
  errors.push(...checkParameters(spec.parameters, "spec.parameters"));
  if (spec.evaluators?.length && spec.evaluatorSelector) {
    errors.push(forbidden("spec.evaluatorSelector", "cannot specify both evaluators and evaluatorSelector"));
  }
  errors.push(
    ...checkLabelSelector(spec.selector, "spec.selector"),
    ...checkLabelSelector(spec.evaluatorSelector, "spec.evaluatorSelector"),
    ...checkNonNegativeDuration(spec.ttl, "spec.ttl", "ttl"),
    ...checkNonNegativeDuration(spec.timeout, "spec.timeout", "timeout"),
  );
  return errors;
}

export const queryKind: KindDefinition<typeof QuerySpec, typeof QueryStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Query",
  listKind: "QueryList",
  plural: "queries",
  singular: "query",
  spec: QuerySpec,
  status: QueryStatus,
  printerColumns: [
    PHASE_COLUMN,
    { name: "Duration", type: "string", jsonPath: ".status.duration" },
    { name: "Evaluations", type: "integer", jsonPath: ".status.evaluations.length" },
    AGE_COLUMN,
  ],
  admit: ({ spec }) => admitQuery(spec),
};
