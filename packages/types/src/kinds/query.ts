import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { forbidden, required } from "../admission/field-errors.js";
import { checkLabelSelector } from "../admission/label-selector.js";
import { checkOverrides } from "../admission/overrides.js";
import { checkParameters } from "../admission/parameters.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { Duration } from "../shared/duration.js";
import { failureClassShape } from "../shared/failure-class.js";
import { LabelSelector } from "../shared/label-selector.js";
import { Override } from "../shared/override.js";
import { Parameter } from "../shared/parameter.js";
import { TokenUsage } from "../shared/token-usage.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN, PHASE_COLUMN } from "./common.js";
import { checkQueryInput, QUERY_INPUT_TYPES, type QueryInput } from "./query-input.js";

export * from "./query-input.js";

export const QueryTarget = z.object({
  type: z.enum(["agent", "team", "model", "tool"]),
  name: z.string().min(1),
});
export type QueryTarget = z.output<typeof QueryTarget>;

const NamespacedName = z.object({
  name: z.string().min(1),
  namespace: z.string().optional().describe("Defaults to the query's namespace."),
});

/** Schemaless in the CRD (a string or a message array, as upstream); admission checks it against spec.type. */
const QueryInputSchema = z
  .unknown()
  .meta({ "x-kubernetes-preserve-unknown-fields": true })
  .describe(
    "type user: the user message, a Go template over parameters when parameters are set. type messages: OpenAI-style chat messages (system, user, assistant, tool), the last a user message.",
  ) as unknown as z.ZodType<QueryInput>;

export const QuerySpec = z.object({
  type: z.enum(QUERY_INPUT_TYPES).optional().describe("How input reads: user (a string; when absent) or messages (a message array)."),
  input: QueryInputSchema,
  parameters: z.array(Parameter).optional().describe("Values for the input template."),
  target: QueryTarget.optional().describe("The single target to run; an alternative to targets."),
  targets: z.array(QueryTarget).optional().describe("Targets run in parallel, each answering the input."),
  selector: LabelSelector.optional().describe("Adds the Agents, Teams, Models and Tools with matching labels as targets."),
  memory: NamespacedName.optional().describe("Memory for the conversation; the Memory named default when absent."),
  evaluators: z.array(NamespacedName).optional(),
  evaluatorSelector: LabelSelector.optional().describe("Selects Evaluators in the query's namespace; excludes evaluators."),
  serviceAccount: z.string().min(1).optional().describe("Identity the query runs as; default."),
  sessionId: z.string().min(1).optional().describe("Memory session; the query's uid when absent."),
  conversationId: z.string().min(1).optional().describe("Continues a conversation: the memory session (over sessionId); a finished query's status.conversationId."),
  overrides: z.array(Override).optional().describe("Headers added to this query's calls to Models and MCPServers selected by label."),
  ttl: Duration.default("720h").describe("The query is deleted this long after creation."),
  timeout: Duration.default("5m").describe("Execution timeout of each target."),
  cancel: z.boolean().optional().describe("Set to true to cancel a pending or running query."),
});
export type QuerySpec = z.output<typeof QuerySpec>;

export const QueryPhase = z.enum(["pending", "running", "evaluating", "error", "done", "canceled"]);
export type QueryPhase = z.output<typeof QueryPhase>;

export const QueryA2AMetadata = z.object({
  contextId: z.string().optional().describe("The A2A context of the remote agent's answer."),
  taskId: z.string().optional().describe("The A2A task the remote agent created."),
});
export type QueryA2AMetadata = z.output<typeof QueryA2AMetadata>;

export const QueryTargetResponse = z.object({
  target: QueryTarget,
  content: z.string(),
  raw: z.string().optional().describe("The messages the target added (tool calls, tool results, answer) as a JSON array; for an error, the error."),
  phase: z.enum(["done", "error"]).optional().describe("done when the target answered, error when it failed."),
  a2a: QueryA2AMetadata.optional().describe("Set when the target is an A2A agent."),
});
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

/** ARK: the classification of the failure that ended a query in phase error (docs/architecture.md §10). */
export const QueryFailure = z.object({
  code: z.string().optional().describe("The raising layer's stable code, e.g. CONFIG_ERROR, PROVIDER_RATE_LIMITED, TIMEOUT."),
  ...failureClassShape,
});
export type QueryFailure = z.output<typeof QueryFailure>;

/** Just the classification of a failure (an event, an outcome), leaving out what it does not know. */
export function queryFailureOf({ code, origin, retryable }: QueryFailure): QueryFailure {
  return { ...(code ? { code } : {}), ...(origin ? { origin } : {}), ...(retryable !== undefined ? { retryable } : {}) };
}

export const QueryStatus = z.object({
  phase: QueryPhase.optional(),
  message: z.string().optional().describe("Why the query is in its phase, e.g. the error of a failed target."),
  responses: z.array(QueryTargetResponse).optional().describe("Answers of the targets that succeeded, in completion order."),
  response: QueryTargetResponse.optional().describe("The answer (or error) of the query's target when it has exactly one."),
  conversationId: z.string().optional().describe("The memory session the query's conversation is in; spec.conversationId continues it."),
  errors: z.array(QueryTargetError).optional().describe("Targets that failed, with their error."),
  failure: QueryFailure.optional().describe("ARK: in phase error, whose failure it was and whether another attempt may succeed."),
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
  errors.push(...checkQueryInput(spec.type, spec.input));
  errors.push(...checkParameters(spec.parameters, "spec.parameters"));
  errors.push(...checkOverrides(spec.overrides, "spec.overrides"));
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
  printerColumns: [PHASE_COLUMN, { name: "Duration", type: "string", jsonPath: ".status.duration" }, { name: "Evaluations", type: "integer", jsonPath: ".status.evaluations.length" }, AGE_COLUMN],
  admit: ({ spec }) => admitQuery(spec),
};
