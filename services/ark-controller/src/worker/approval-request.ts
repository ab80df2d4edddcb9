import { createHash } from "node:crypto";
import type { AgentApprovals, AgentFrame, AgentPauseState, ApprovalDecisionForCall, ChatMessage, RunFrame, TokenCount, ToolMessage } from "@ark/engine";
import type { ToolApprovalRequest } from "@ark/kube";
import { APPROVAL_QUERY_LABEL, APPROVAL_QUERY_UID_LABEL, queryKind, type ApproverRef, type QueryRunJob, type ToolApprovalRequestSpec } from "@ark/types";
import type { ArkResources } from "../resources.js";

/** The request a pause creates; named after the query and the first call, so a redelivered job finds the one it made. */
function approvalRequestName(job: Pick<QueryRunJob, "name" | "queryUid">, firstCallId: string): string {
  const hash = createHash("sha256").update(`${job.queryUid}/${firstCallId}`).digest("hex").slice(0, 8);
  return `${job.name.slice(0, 253 - 9)}-${hash}`;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64");
const decode = <T>(text: string): T => JSON.parse(Buffer.from(text, "base64").toString("utf8")) as T;

/**
 * The ToolApprovalRequest holding a paused run (docs/architecture.md §3.2), owned by the Query: upstream's fields describe
 * the agent whose calls wait; the runs around it (a team, an agent that called it as a tool) go in enclosingRuns.
 */
export function approvalRequestFor(job: QueryRunJob, state: AgentPauseState, queryTokenUsage: TokenCount): ToolApprovalRequest & { spec: ToolApprovalRequestSpec } {
  const first = state.calls[0]!;
  const paused = state.frames.at(-1) as AgentFrame;
  const enclosing = state.frames.slice(0, -1);
  const policy = first.gate.policy;
  const approvers: ApproverRef[] = state.calls.flatMap((c) => c.gate.policy.approvers ?? []);
  return {
    apiVersion: "ark.mckinsey.com/v1alpha1",
    kind: "ToolApprovalRequest",
    metadata: {
      name: approvalRequestName(job, first.call.id),
      namespace: job.namespace,
      labels: { [APPROVAL_QUERY_LABEL]: job.name.slice(0, 63), [APPROVAL_QUERY_UID_LABEL]: job.queryUid },
      ownerReferences: [{ apiVersion: `${queryKind.group}/${queryKind.version}`, kind: queryKind.kind, name: job.name, uid: job.queryUid, controller: true }],
    },
    spec: {
      queryRef: { name: job.name, namespace: job.namespace },
      toolCalls: state.calls.map(({ call, gate }) => ({
        id: call.id,
        name: call.function.name,
        type: gate.type,
        arguments: call.function.arguments,
        ...(gate.description ? { description: gate.description } : {}),
        ...(gate.annotations ? { annotations: hints(gate.annotations) } : {}),
        ...(state.reasoning ? { agentReasoning: state.reasoning } : {}),
      })),
      ...(policy.timeout ? { timeout: policy.timeout } : {}),
      onTimeout: policy.onTimeout ?? "reject",
      ...(approvers.length > 0 ? { approvers } : {}),
      ...(state.calls.some((c) => c.gate.policy.reasonRequired) ? { reasonRequired: true } : {}),
      executionContext: {
        conversationHistory: encode(paused.messages),
        pendingToolCallIndex: paused.pendingToolCallIndex,
        completedToolResults: paused.completedToolResults.map((m) => JSON.stringify(m)),
        agentName: paused.agent.name,
        agentNamespace: paused.agent.namespace,
        newMessagesFrom: paused.newMessagesFrom,
        tokenUsage: queryTokenUsage,
        ...(enclosing.length > 0 ? { enclosingRuns: encode(enclosing), agentTokenUsage: paused.tokenUsage } : {}),
      },
    },
  };
}

function hints(annotations: NonNullable<AgentPauseState["calls"][number]["gate"]["annotations"]>) {
  const { destructiveHint, readOnlyHint, idempotentHint, openWorldHint } = annotations;
  return {
    ...(destructiveHint !== undefined ? { destructiveHint } : {}),
    ...(readOnlyHint !== undefined ? { readOnlyHint } : {}),
    ...(idempotentHint !== undefined ? { idempotentHint } : {}),
    ...(openWorldHint !== undefined ? { openWorldHint } : {}),
  };
}

/** Creates the request; one a redelivered job already made is kept. */
export async function storeApprovalRequest(resources: ArkResources, request: ToolApprovalRequest): Promise<void> {
  const { namespace, name } = request.metadata;
  if (await resources.ark.toolApprovalRequests.get(namespace ?? "", name ?? "")) return;
  await resources.ark.toolApprovalRequests.create(request);
}

export interface ResumePoint {
  approvals: Required<AgentApprovals>;
  /** Tokens the query used before it paused. */
  tokenUsage: TokenCount;
}

/** A decided request of this query → where its run resumes, with each call's decision; undefined when there is nothing to resume. */
export async function resumePoint(resources: ArkResources, job: QueryRunJob): Promise<ResumePoint | undefined> {
  const name = job.resume?.approvalRequest;
  if (!name) return undefined;
  const request = await resources.ark.toolApprovalRequests.get(job.namespace, name);
  if (!request || request.metadata.labels?.[APPROVAL_QUERY_UID_LABEL] !== job.queryUid) return undefined;
  const decision = decisionForCalls(request);
  if (!decision) return undefined;
  const context = request.spec.executionContext;
  const messages = decode<ChatMessage[]>(context.conversationHistory);
  const tokenUsage = context.tokenUsage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  const paused: AgentFrame = {
    kind: "agent",
    agent: { namespace: context.agentNamespace, name: context.agentName },
    messages,
    newMessagesFrom: context.newMessagesFrom ?? messages.length,
    pendingToolCallIndex: context.pendingToolCallIndex,
    completedToolResults: (context.completedToolResults ?? []).map((m) => JSON.parse(m) as ToolMessage),
    tokenUsage: context.agentTokenUsage ?? tokenUsage,
  };
  const enclosing = context.enclosingRuns ? decode<RunFrame[]>(context.enclosingRuns) : [];
  const decisions = new Map(request.spec.toolCalls.map((call) => [call.id, decision(call.id)] as const));
  return { tokenUsage, approvals: { resume: { frames: [...enclosing, paused], decisions } } };
}

/** What the request's outcome means for each of its calls; undefined while it is pending. */
function decisionForCalls(request: ToolApprovalRequest): ((callId: string) => ApprovalDecisionForCall) | undefined {
  const { phase, decision } = request.status ?? {};
  const single = request.spec.toolCalls.length === 1;
  if (phase === "expired") {
    if (request.spec.onTimeout === "proceed") return () => ({ run: true });
    const message = `the call was not approved: its approval request expired${request.spec.timeout ? ` after ${request.spec.timeout}` : ""} without a decision`;
    return () => ({ run: false, message });
  }
  if (decision?.action === "approved" && phase !== "rejected") {
    const edited = single && decision.arguments ? JSON.stringify(decision.arguments) : undefined;
    return () => ({ run: true, ...(edited !== undefined ? { arguments: edited } : {}) });
  }
  if (decision?.action === "rejected" || phase === "rejected") {
    const by = decision?.decidedBy ? ` by ${decision.decidedBy}` : "";
    const reason = decision?.reason ? `: ${decision.reason}` : "";
    return () => ({ run: false, message: `the call was rejected${by}${reason}` });
  }
  return undefined;
}
