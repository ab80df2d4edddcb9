import { isToolApprover, lacksRequiredReason, notAnApproverMessage, type ApprovalDecision, type JsonObject, type ToolApprovalAction } from "@ark/types";
import type { ArkClient, ToolApprovalRequest } from "./clients/ark-client.js";
import { isConflict } from "./errors.js";

export interface ToolApprovalDecisionInput {
  action: ToolApprovalAction;
  /** Who decides: the caller's principal id (`apikey:<key name>(<id>)`, `oidc:<subject>`, `admin-key`). */
  decidedBy: string;
  /** The caller's groups and roles (OIDC `groups` and `roles` claims), matched against `spec.approvers`. */
  groups?: readonly string[];
  roles?: readonly string[];
  reason?: string;
  /** Approve only: arguments replacing the call's (a request with one call). */
  arguments?: JsonObject;
  clientContext?: { ipAddress?: string; userAgent?: string };
}

export type ToolApprovalDecisionResult = { ok: true; request: ToolApprovalRequest } | { ok: false; code: "NOT_FOUND" | "CONFLICT" | "INVALID" | "FORBIDDEN"; field?: string; message: string };

/** The names a principal id goes by (docs/upstream-compat.md §7.6): the id, an OIDC subject, an API key's name. */
function principalNames(id: string): string[] {
  return [id, /^oidc:(.+)$/.exec(id)?.[1], /^apikey:(.+)\([^()]*\)$/.exec(id)?.[1]].filter((u): u is string => Boolean(u));
}

/**
 * Decides a pending ToolApprovalRequest by writing `status.decision` guarded by the resourceVersion read, so of two
 * deciders one wins and the other gets CONFLICT, as does a decision on a decided request (docs/architecture.md §3.2).
 * The one write every surface (ark-api, ark-mcp, ark-api-a2a, the CLI through ark-api) goes through.
 */
export async function decideToolApproval(ark: Pick<ArkClient, "toolApprovalRequests">, namespace: string, name: string, input: ToolApprovalDecisionInput): Promise<ToolApprovalDecisionResult> {
  const request = await ark.toolApprovalRequests.get(namespace, name);
  if (!request) return { ok: false, code: "NOT_FOUND", message: `ToolApprovalRequest ${namespace}/${name} not found` };
  const phase = request.status?.phase ?? "pending";
  if (phase !== "pending" || request.status?.decision) {
    return { ok: false, code: "CONFLICT", message: `ToolApprovalRequest ${namespace}/${name} is already ${request.status?.decision?.action ?? phase}` };
  }
  const approvers = request.spec.approvers ?? [];
  if (!isToolApprover(approvers, { names: principalNames(input.decidedBy), groups: input.groups, roles: input.roles })) {
    return { ok: false, code: "FORBIDDEN", message: `ToolApprovalRequest ${namespace}/${name} ${notAnApproverMessage(approvers, input.decidedBy)}` };
  }
  if (lacksRequiredReason(request.spec.reasonRequired, input)) {
    return { ok: false, code: "INVALID", field: "reason", message: `ToolApprovalRequest ${namespace}/${name} needs a reason to reject (spec.reasonRequired)` };
  }
  if (input.arguments !== undefined && (input.action !== "approved" || request.spec.toolCalls.length !== 1)) {
    return { ok: false, code: "INVALID", field: "arguments", message: "arguments replace the call's only when approving a request with one call" };
  }
  const decision: ApprovalDecision = {
    action: input.action,
    decidedBy: input.decidedBy,
    decidedAt: new Date().toISOString(),
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.clientContext ? { clientContext: input.clientContext } : {}),
    ...(input.arguments ? { arguments: input.arguments } : {}),
  };
  try {
    const resourceVersion = request.metadata.resourceVersion;
    const written = await ark.toolApprovalRequests.patchStatus(namespace, name, { decision }, resourceVersion ? { resourceVersion } : {});
    return { ok: true, request: written };
  } catch (err) {
    if (isConflict(err)) return { ok: false, code: "CONFLICT", message: `ToolApprovalRequest ${namespace}/${name} changed meanwhile (decided by someone else?)` };
    throw err;
  }
}
