import type { QueryBus } from "@ark/bus";
import { patchStatus, setCondition, splitKey, type ArkClient, type EventRecorder, type InformerCache, type Query, type ReconcileResult, type ToolApprovalRequest } from "@ark/kube";
import {
  APPROVAL_QUERY_UID_LABEL,
  ApprovalReasons,
  formatDuration,
  isFinishedQueryPhase,
  parseDuration,
  QueryConditions,
  ToolApprovalConditions,
  type QueryEvent,
  type QueryRunJob,
  type ToolApprovalRequestStatus,
} from "@ark/types";
import { timeOf } from "../query-run/status.js";

export interface ToolApprovalReconcilerDeps {
  requests: InformerCache<ToolApprovalRequest>;
  queries: InformerCache<Query>;
  ark: ArkClient;
  bus: QueryBus<QueryEvent>;
  events: EventRecorder;
}

/**
 * ToolApprovalRequest (docs/architecture.md §3.2): pending (and the Query's AwaitingApproval condition) → a decision in
 * status.decision, or the timeout, or the query's end → approved, rejected or expired → one resume job for the run.
 */
export function toolApprovalReconciler(deps: ToolApprovalReconcilerDeps) {
  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const request = deps.requests.get(namespace, name);
    if (!request) return;
    const queryRef = request.spec.queryRef;
    const query = deps.queries.get(queryRef.namespace, queryRef.name);
    const ours = query && query.metadata.uid === request.metadata.labels?.[APPROVAL_QUERY_UID_LABEL];
    const queryOver = !ours || Boolean(query.metadata.deletionTimestamp) || Boolean(query.spec.cancel) || isFinishedQueryPhase(query.status?.phase);
    const status = request.status ?? {};
    const requestedAt = status.requestedAt ?? new Date(timeOf(request.metadata.creationTimestamp)).toISOString();
    const phase = status.phase ?? "pending";

    if (phase === "pending") {
      if (status.decision) return decide(deps, request, requestedAt, query && ours ? query : undefined);
      if (queryOver) {
        await writeStatus(deps, request, { ...status, phase: "expired", requestedAt });
        record(deps, request, "ToolApprovalExpired", "the query ended before a decision");
        return;
      }
      const timeoutMs = request.spec.timeout ? parseDuration(request.spec.timeout) : undefined;
      const remaining = timeoutMs === undefined ? undefined : timeOf(requestedAt) + timeoutMs - Date.now();
      if (remaining !== undefined && remaining <= 0) {
        await writeStatus(deps, request, { ...status, phase: "expired", requestedAt });
        record(deps, request, "ToolApprovalExpired", `no decision within ${request.spec.timeout}; onTimeout ${request.spec.onTimeout ?? "reject"}`);
        return;
      }
      if (!status.phase) {
        await writeStatus(deps, request, { ...status, phase: "pending", requestedAt, observedGeneration: request.metadata.generation ?? 0 });
        record(deps, request, "ToolApprovalRequested", `tool calls await approval: ${request.spec.toolCalls.map((c) => c.name).join(", ")}`);
      }
      await setAwaiting(deps, query && ours ? query : undefined, "True", ApprovalReasons.Pending, `waiting for ToolApprovalRequest ${name}`);
      return remaining === undefined ? undefined : { requeueAfter: remaining };
    }

    // Decided or expired: the run goes on, once.
    const resumed = status.conditions?.some((c) => c.type === ToolApprovalConditions.Resumed && c.status === "True");
    if (resumed || queryOver || !query) return;
    const job: QueryRunJob = {
      queryUid: query.metadata.uid ?? "",
      namespace: queryRef.namespace,
      name: queryRef.name,
      generation: query.metadata.generation ?? 0,
      enqueuedAt: new Date().toISOString(),
      ...(deadlineOf(query) ? { deadline: deadlineOf(query)! } : {}),
      resume: { approvalRequest: name },
    };
    // The condition first: once the job is out, the run may finish (and the query's status close) before a later write.
    const reason = phase === "expired" ? ApprovalReasons.Expired : ApprovalReasons.Decided;
    await setAwaiting(deps, query, "False", reason, `ToolApprovalRequest ${name} ${phase}; the run goes on`);
    await deps.bus.enqueueRun(job);
    const conditions = setCondition(
      status.conditions,
      { type: ToolApprovalConditions.Resumed, status: "True", reason: ApprovalReasons.Resumed, message: "the run was resumed with the decision" },
      request.metadata.generation,
    );
    await writeStatus(deps, request, { ...status, conditions });
  };
}

/** A decision written into status.decision while pending: the phase follows it, with how long it took, and an Event says who. */
async function decide(deps: ToolApprovalReconcilerDeps, request: ToolApprovalRequest, requestedAt: string, query: Query | undefined): Promise<ReconcileResult | void> {
  const decision = request.status!.decision!;
  const tookMs = Math.max(0, timeOf(decision.decidedAt) - timeOf(requestedAt));
  await writeStatus(deps, request, { ...request.status, phase: decision.action, requestedAt, approvalDuration: formatDuration(tookMs) });
  const reason = decision.reason ? `: ${decision.reason}` : "";
  record(deps, request, decision.action === "approved" ? "ToolApprovalApproved" : "ToolApprovalRejected", `${decision.action} by ${decision.decidedBy} at ${decision.decidedAt}${reason}`);
  if (query) await setAwaiting(deps, query, "True", ApprovalReasons.Decided, `ToolApprovalRequest ${request.metadata.name ?? ""} ${decision.action}; resuming`);
  // The status write wakes this reconcile again, which resumes the run.
  return { requeueAfter: 0 };
}

/** The query's deadline: its running condition's start plus spec.timeout (the query's own timeout keeps counting). */
function deadlineOf(query: Query): string | undefined {
  const running = query.status?.conditions?.find((c) => c.type === QueryConditions.Running)?.lastTransitionTime;
  if (!running || !query.spec.timeout) return undefined;
  return new Date(timeOf(running) + parseDuration(query.spec.timeout)).toISOString();
}

async function setAwaiting(deps: ToolApprovalReconcilerDeps, query: Query | undefined, status: "True" | "False", reason: string, message: string): Promise<void> {
  if (!query || isFinishedQueryPhase(query.status?.phase)) return;
  const current = query.status?.conditions?.find((c) => c.type === QueryConditions.AwaitingApproval);
  if (current?.status === status && current.reason === reason && current.message === message) return;
  const conditions = setCondition(query.status?.conditions, { type: QueryConditions.AwaitingApproval, status, reason, message }, query.metadata.generation);
  await patchStatus(deps.ark.queries, query, { conditions });
}

async function writeStatus(deps: ToolApprovalReconcilerDeps, request: ToolApprovalRequest, desired: ToolApprovalRequestStatus): Promise<void> {
  await patchStatus(deps.ark.toolApprovalRequests, request, desired);
}

function record(deps: ToolApprovalReconcilerDeps, request: ToolApprovalRequest, reason: string, message: string): void {
  void deps.events.record(request, { type: "Normal", reason, message }).catch(() => undefined);
}

/** The requests of a changed Query (its cancel, end or deletion expires the pending ones). */
export function approvalRequestsOfQuery(requests: InformerCache<ToolApprovalRequest>) {
  return (query: { metadata?: { namespace?: string; name?: string } }): string[] =>
    requests
      .list(query.metadata?.namespace ?? "")
      .filter((r) => r.spec.queryRef.name === query.metadata?.name)
      .map((r) => `${r.metadata.namespace ?? ""}/${r.metadata.name ?? ""}`);
}
