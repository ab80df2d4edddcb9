import type { KubeObject } from "../kube-object.js";
import type { ResourceType } from "../resource-type.js";
import { statusErrors } from "../api/status.js";

interface DecisionLike {
  action?: unknown;
  decidedBy?: unknown;
  decidedAt?: unknown;
}

const decisionOf = (obj: KubeObject): DecisionLike | undefined => (obj.status as { decision?: DecisionLike } | undefined)?.decision;

/**
 * A ToolApprovalRequest is decided once (docs/architecture.md §3.2): a status write that replaces or removes a decision
 * already there is a conflict (409), whoever writes it — kubectl, a client, a second approver.
 */
export function checkDecisionUnchanged(rt: ResourceType, current: KubeObject, next: KubeObject): void {
  if (rt.kind !== "ToolApprovalRequest" || rt.group !== "ark.mckinsey.com") return;
  const before = decisionOf(current);
  if (!before) return;
  const after = decisionOf(next);
  if (after && after.action === before.action && after.decidedBy === before.decidedBy && after.decidedAt === before.decidedAt) return;
  throw statusErrors.conflict(rt, String(current.metadata?.name ?? ""), `the request is already ${String(before.action)} by ${String(before.decidedBy)}: status.decision is set once`);
}
