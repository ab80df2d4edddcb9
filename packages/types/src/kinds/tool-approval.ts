import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { invalid } from "../admission/field-errors.js";
import { celCompileError, type CelVariables } from "../cel/cel.js";
import { Duration } from "../shared/duration.js";
import type { FieldError } from "./definition.js";

/** Who may decide a ToolApprovalRequest (upstream's ApproverRef); informational here: any caller allowed to update the request may decide. */
export const ApproverRef = z.object({
  role: z.string().optional().describe("A role the approver holds."),
  user: z.string().optional().describe("The approver's user name."),
  group: z.string().optional().describe("A group the approver belongs to."),
});
export type ApproverRef = z.output<typeof ApproverRef>;

export const APPROVAL_ON_TIMEOUT = ["reject", "proceed"] as const;
export type ApprovalOnTimeout = (typeof APPROVAL_ON_TIMEOUT)[number];

/** The variables a `spec.approval.when` condition sees: the call's parsed arguments. */
export const APPROVAL_WHEN_VARIABLES: CelVariables = { args: "dyn" };

/** A Tool's `spec.approval`, and an agent tool entry's override of it (docs/architecture.md §3.2). */
export const ToolApproval = z.object({
  required: z.boolean().optional().describe("A person approves each call before it runs (default false; true when only `when` is set)."),
  when: z
    .string()
    .optional()
    .describe("CEL over the call's parsed arguments (`args`): approval is asked only when it is true, e.g. args.amount > 100."),
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
  return errors;
}

/** The approval that applies to one agent tool entry: the entry's fields over the Tool's. */
export function effectiveToolApproval(tool: ToolApproval | undefined, entry: ToolApproval | undefined): ToolApproval | undefined {
  if (!tool && !entry) return undefined;
  return { ...tool, ...Object.fromEntries(Object.entries(entry ?? {}).filter(([, v]) => v !== undefined)) };
}
