import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { invalid, required } from "../admission/field-errors.js";
import { celCompileError, type CelVariables } from "../cel/cel.js";
import { Duration } from "../shared/duration.js";
import type { FieldError } from "./definition.js";

/**
 * Who may decide a ToolApprovalRequest (upstream's ApproverRef). ark-api, ark-mcp and ark-api-a2a decide only for a caller
 * matching one entry (docs/upstream-compat.md §7.6); a direct status write is bounded by Kubernetes RBAC alone.
 */
export const ApproverRef = z.object({
  role: z.string().optional().describe("A role the approver holds (the OIDC roles claim)."),
  user: z.string().optional().describe("The approver's user name: an API key's name, an OIDC subject, or a principal id."),
  group: z.string().optional().describe("A group the approver belongs to (the OIDC groups claim)."),
});
export type ApproverRef = z.output<typeof ApproverRef>;

export const APPROVAL_ON_TIMEOUT = ["reject", "proceed"] as const;
export type ApprovalOnTimeout = (typeof APPROVAL_ON_TIMEOUT)[number];

/** The variables a `spec.approval.when` condition sees: the call's parsed arguments. */
export const APPROVAL_WHEN_VARIABLES: CelVariables = { args: "dyn" };

/** A Tool's `spec.approval`, and an agent tool entry's override of it (docs/architecture.md §3.2). */
export const ToolApproval = z.object({
  required: z.boolean().optional().describe("A person approves each call before it runs (default false; true when only `when` is set)."),
  when: z.string().optional().describe("CEL over the call's parsed arguments (`args`): approval is asked only when it is true, e.g. args.amount > 100."),
  timeout: Duration.optional().describe("How long a request waits for a decision before onTimeout applies; no limit but the query's timeout when absent."),
  onTimeout: z.enum(APPROVAL_ON_TIMEOUT).optional().describe("When the request expires: reject (default) sends a rejection to the model, proceed runs the call."),
  approvers: z.array(ApproverRef).optional().describe("Who may approve (copied into the request)."),
  reasonRequired: z.boolean().optional().describe("A rejection must give a reason."),
});
export type ToolApproval = z.output<typeof ToolApproval>;

/** Admission of an approval block at `path`: the `when` CEL compiles, the timeout is not negative. */
export function checkToolApproval(approval: ToolApproval | undefined, path: string): FieldError[] {
  if (!approval) return [];
  const errors = checkNonNegativeDuration(approval.timeout, `${path}.timeout`, "approval timeout");
  if (approval.when !== undefined) {
    const problem = celCompileError(approval.when, APPROVAL_WHEN_VARIABLES);
    if (problem) errors.push(invalid(`${path}.when`, approval.when, `CEL does not compile: ${problem}`));
  }
  errors.push(...checkApprovers(approval.approvers, `${path}.approvers`));
  return errors;
}

/** Each approver names someone: an entry without user, group or role would match nobody (as upstream: at least one). */
export function checkApprovers(approvers: readonly ApproverRef[] | undefined, path: string): FieldError[] {
  return (approvers ?? []).flatMap((a, i) => (a.user || a.group || a.role ? [] : [required(`${path}[${i}]`, "an approver needs user, group or role")]));
}

/**
 * Who asks to decide, as the approvers check sees them: every name the caller goes by (a Kubernetes username; for
 * ark-api a principal id and the key name or OIDC subject in it), its groups, and its roles (ark-api: the OIDC roles
 * claim; ark-apiserver: the Roles and ClusterRoles bound to it, as upstream's `role`).
 */
export interface ApprovalDecider {
  names: readonly string[];
  groups?: readonly string[] | undefined;
  roles?: readonly string[] | undefined;
}

/**
 * Whether `decider` may decide a request with these `approvers` (docs/architecture.md §3.2): anyone when there are
 * none, else one entry must match its user, one of its groups or one of its roles. The one rule ark-api, ark-mcp,
 * ark-api-a2a (through @ark/kube's decideToolApproval) and ark-apiserver's admission of a status write apply.
 */
export function isToolApprover(approvers: readonly ApproverRef[] | undefined, decider: ApprovalDecider): boolean {
  if (!approvers?.length) return true;
  const has = (list: readonly string[] | undefined, value: string | undefined) => value !== undefined && (list ?? []).includes(value);
  return approvers.some((a) => has(decider.names, a.user) || has(decider.groups, a.group) || has(decider.roles, a.role));
}

/** Why a decider was refused, naming the approvers as a person reads them: `… (user alice, group ops); bob is not one`. */
export function notAnApproverMessage(approvers: readonly ApproverRef[], decider: string): string {
  const names = approvers.flatMap((a) => [a.user && `user ${a.user}`, a.group && `group ${a.group}`, a.role && `role ${a.role}`].filter(Boolean));
  return `may be decided only by its approvers (spec.approvers: ${names.join(", ")}); ${decider} is not one`;
}

/**
 * `reasonRequired` asks a reason of a rejection only, as upstream's field says ("whether a reason must be provided when
 * rejecting"); an approval never needs one. True when this decision lacks the reason it needs.
 */
export function lacksRequiredReason(reasonRequired: boolean | undefined, decision: { action: string; reason?: string | undefined }): boolean {
  return reasonRequired === true && decision.action === "rejected" && !decision.reason?.trim();
}

/** The approval that applies to one agent tool entry: the entry's fields over the Tool's. */
export function effectiveToolApproval(tool: ToolApproval | undefined, entry: ToolApproval | undefined): ToolApproval | undefined {
  if (!tool && !entry) return undefined;
  return { ...tool, ...Object.fromEntries(Object.entries(entry ?? {}).filter(([, v]) => v !== undefined)) };
}
