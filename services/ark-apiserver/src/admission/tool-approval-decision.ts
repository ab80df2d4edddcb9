import { ARK_SERVICE_IDENTITIES, GROUP, isToolApprover, lacksRequiredReason, notAnApproverMessage, type ApproverRef } from "@ark/types";
import type { AccessControl } from "../auth/access-control.js";
import { parseServiceAccountUsername, SYSTEM_MASTERS, type UserInfo } from "../auth/user.js";
import type { KubeObject } from "../kube-object.js";
import type { ResourceType } from "../resource-type.js";
import { statusErrors } from "../api/status.js";

interface DecisionLike {
  action?: unknown;
  reason?: unknown;
  decidedBy?: unknown;
  decidedAt?: unknown;
}

const decisionOf = (obj: KubeObject): DecisionLike | undefined => (obj.status as { decision?: DecisionLike } | undefined)?.decision;

/**
 * A ToolApprovalRequest is decided once (docs/architecture.md §3.2): a status write that replaces or removes a decision
 * already there is a conflict (409), whoever writes it — kubectl, a client, a second approver.
 */
export function checkDecisionUnchanged(rt: ResourceType, current: KubeObject, next: KubeObject): void {
  if (!isToolApprovalRequest(rt)) return;
  const before = decisionOf(current);
  if (!before) return;
  const after = decisionOf(next);
  if (after && after.action === before.action && after.decidedBy === before.decidedBy && after.decidedAt === before.decidedAt) return;
  throw statusErrors.conflict(rt, String(current.metadata?.name ?? ""), `the request is already ${String(before.action)} by ${String(before.decidedBy)}: status.decision is set once`);
}

const isToolApprovalRequest = (rt: ResourceType): boolean => rt.kind === "ToolApprovalRequest" && rt.group === GROUP;

/** ARK's own services (ark-api, ark-mcp, ark-api-a2a) decide for their callers and check the approvers themselves. */
function isArkService(user: UserInfo, serviceNamespace: string): boolean {
  const account = parseServiceAccountUsername(user.username);
  return account?.namespace === serviceNamespace && (ARK_SERVICE_IDENTITIES as readonly string[]).includes(account.name);
}

/**
 * A status write that decides a ToolApprovalRequest (status.decision set where there was none) is the decider's only
 * when it is among `spec.approvers` (docs/architecture.md §3.2), by the rule ark-api applies: `user` is the username,
 * `group` one of its groups, `role` a Role or ClusterRole bound to it. 403 otherwise. Writes that decide nothing (the
 * controller's phase, expiry) pass, as do system:masters (as for RBAC escalation) and ARK's services. A rejection
 * without the reason `spec.reasonRequired` asks for is 422, whoever writes it.
 */
export function checkDecider(access: AccessControl, user: UserInfo | undefined, serviceNamespace: string, rt: ResourceType, current: KubeObject, next: KubeObject): void {
  const decision = decisionOf(next);
  if (!isToolApprovalRequest(rt) || decisionOf(current) || !decision) return;
  const spec = next.spec as { approvers?: ApproverRef[]; reasonRequired?: boolean } | undefined;
  const name = String(next.metadata?.name ?? "");
  if (lacksRequiredReason(spec?.reasonRequired, { action: String(decision.action), reason: typeof decision.reason === "string" ? decision.reason : undefined })) {
    const detail = "a rejection needs a reason (spec.reasonRequired)";
    throw statusErrors.invalid(rt, name, [`status.decision.reason: Required value: ${detail}`], [{ reason: "FieldValueRequired", message: `Required value: ${detail}`, field: "status.decision.reason" }]);
  }
  if (!user) return;
  const approvers = spec?.approvers ?? [];
  if (approvers.length === 0 || user.groups.includes(SYSTEM_MASTERS) || isArkService(user, serviceNamespace)) return;
  const namespace = next.metadata?.namespace ?? "";
  const decider = { names: [user.username], groups: user.groups, roles: access.bindings.roleNamesFor(user, namespace) };
  if (isToolApprover(approvers, decider)) return;
  throw statusErrors.forbidden(rt, name, `status.decision: the request ${notAnApproverMessage(approvers, `user "${user.username}"`)}`);
}
