import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { invalid } from "../admission/field-errors.js";
import { Condition } from "../shared/condition.js";
import { Duration } from "../shared/duration.js";
import { JsonObject } from "../shared/json-object.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN, PHASE_COLUMN } from "./common.js";
import { APPROVAL_ON_TIMEOUT, ApproverRef, checkApprovers } from "./tool-approval.js";

export const ToolCallAnnotations = z
  .object({
    destructiveHint: z.boolean().optional(),
    readOnlyHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .describe("The Tool's hints, for the person deciding.");

export const ToolCallInfo = z.object({
  id: z.string().min(1).describe("The model's tool-call id."),
  name: z.string().min(1).describe("The tool's name as the model called it."),
  type: z.string().min(1).describe("Tool type: http, mcp, agent, builtin…"),
  arguments: z.string().describe("The call's arguments as the model sent them (JSON text)."),
  description: z.string().optional(),
  annotations: ToolCallAnnotations.optional(),
  agentReasoning: z.string().optional().describe("What the model said along with the call."),
});
export type ToolCallInfo = z.output<typeof ToolCallInfo>;

const TokenUsage = z.object({ promptTokens: z.int().min(0), completionTokens: z.int().min(0), totalTokens: z.int().min(0) });

export const ExecutionContext = z.object({
  conversationHistory: z.string().describe("The run's messages up to the assistant turn with the calls: base64 of a JSON array."),
  pendingToolCallIndex: z.int().min(0).describe("Index, in the assistant turn's tool_calls, of the first call not run yet."),
  completedToolResults: z.array(z.string()).optional().describe("Tool messages (JSON) of the turn's calls that ran before the pause."),
  agentName: z.string().min(1),
  agentNamespace: z.string().min(1),
  newMessagesFrom: z.int().min(0).optional().describe("Index in conversationHistory where the run's own messages begin (after the prompt, memory and input)."),
  tokenUsage: TokenUsage.optional().describe("Tokens the query used before the pause."),
  enclosingRuns: z.string().optional().describe("ARK: the runs around the paused agent, outermost first (a team at a member and turn, an agent at the call that runs the paused one): base64 of a JSON array."),
  agentTokenUsage: TokenUsage.optional().describe("ARK: the paused agent's own tokens before the pause, when it runs inside enclosingRuns."),
});
export type ExecutionContext = z.output<typeof ExecutionContext>;

export const ToolApprovalRequestSpec = z.object({
  queryRef: z.object({ name: z.string().min(1), namespace: z.string().min(1) }).describe("The Query whose run waits."),
  toolCalls: z.array(ToolCallInfo).min(1).describe("The calls awaiting the decision."),
  timeout: Duration.optional().describe("How long to wait for a decision before onTimeout applies."),
  onTimeout: z.enum(APPROVAL_ON_TIMEOUT).optional().describe("reject (default) or proceed when the timeout passes."),
  approvers: z.array(ApproverRef).optional(),
  reasonRequired: z.boolean().optional().describe("A rejection must give a reason."),
  executionContext: ExecutionContext.describe("What the run resumes from."),
});
export type ToolApprovalRequestSpec = z.output<typeof ToolApprovalRequestSpec>;

export const TOOL_APPROVAL_PHASES = ["pending", "approved", "rejected", "expired"] as const;
export type ToolApprovalPhase = (typeof TOOL_APPROVAL_PHASES)[number];
export const TOOL_APPROVAL_ACTIONS = ["approved", "rejected"] as const;
export type ToolApprovalAction = (typeof TOOL_APPROVAL_ACTIONS)[number];

export const ApprovalDecision = z.object({
  action: z.enum(TOOL_APPROVAL_ACTIONS),
  decidedBy: z.string().min(1),
  decidedAt: z.string().min(1).describe("RFC 3339 time of the decision."),
  reason: z.string().optional(),
  clientContext: z.object({ ipAddress: z.string().optional(), userAgent: z.string().optional() }).optional(),
  arguments: JsonObject.optional().describe("ARK extension: arguments replacing the call's when approved (a request with one call)."),
});
export type ApprovalDecision = z.output<typeof ApprovalDecision>;

/**
 * A decision is set once (docs/architecture.md §3.2). ark-apiserver refuses a status write that replaces or removes it
 * with 409 (services/ark-apiserver/src/admission/tool-approval-decision.ts, comparing the same three fields); on a
 * real cluster this transition rule of the CRD refuses it (422 Invalid, as CEL rules answer).
 */
export const DECISION_SET_ONCE_RULE = {
  rule:
    "!has(oldSelf.decision) || (has(self.decision) && self.decision.action == oldSelf.decision.action" +
    " && self.decision.decidedBy == oldSelf.decision.decidedBy && self.decision.decidedAt == oldSelf.decision.decidedAt)",
  message: "status.decision is set once: a decided request cannot be decided again or undecided",
  fieldPath: ".decision",
};

export const ToolApprovalRequestStatus = z
  .object({
    phase: z.enum(TOOL_APPROVAL_PHASES).optional(),
    observedGeneration: z.int().min(0).optional(),
    requestedAt: z.string().optional(),
    decision: ApprovalDecision.optional(),
    approvalDuration: z.string().optional().describe("Time from the request to the decision."),
    conditions: z.array(Condition).optional(),
  })
  .meta({ "x-kubernetes-validations": [DECISION_SET_ONCE_RULE] });
export type ToolApprovalRequestStatus = z.output<typeof ToolApprovalRequestStatus>;

/** ToolApprovalRequest condition types: the run was resumed with the decision (set once, so it resumes once). */
export const ToolApprovalConditions = { Resumed: "Resumed" } as const;

/** Labels on a ToolApprovalRequest naming the Query (by name and uid) whose run waits on it. */
export const APPROVAL_QUERY_LABEL = `${GROUP}/query`;
export const APPROVAL_QUERY_UID_LABEL = `${GROUP}/query-uid`;

function admitToolApprovalRequest(spec: ToolApprovalRequestSpec): FieldError[] {
  const errors = [...checkNonNegativeDuration(spec.timeout, "spec.timeout", "timeout"), ...checkApprovers(spec.approvers, "spec.approvers")];
  spec.toolCalls.forEach((call, i) => {
    try {
      JSON.parse(call.arguments || "{}");
    } catch {
      errors.push(invalid(`spec.toolCalls[${i}].arguments`, call.arguments, "not JSON"));
    }
  });
  return errors;
}

/** A run paused on tool calls a person must approve (docs/architecture.md §3.2); upstream's kind, short name tar. */
export const toolApprovalRequestKind: KindDefinition<typeof ToolApprovalRequestSpec, typeof ToolApprovalRequestStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "ToolApprovalRequest",
  listKind: "ToolApprovalRequestList",
  plural: "toolapprovalrequests",
  singular: "toolapprovalrequest",
  shortNames: ["tar"],
  spec: ToolApprovalRequestSpec,
  status: ToolApprovalRequestStatus,
  printerColumns: [{ name: "Query", type: "string", jsonPath: ".spec.queryRef.name" }, PHASE_COLUMN, AGE_COLUMN],
  admit: ({ spec }) => admitToolApprovalRequest(spec),
};
