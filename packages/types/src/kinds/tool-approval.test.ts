import { describe, expect, it } from "vitest";
import { validateArkResource } from "../validate.js";
import { effectiveToolApproval } from "./tool-approval.js";

const manifest = (kind: string, spec: unknown) => ({ apiVersion: "ark.mckinsey.com/v1alpha1", kind, metadata: { name: "x", namespace: "default" }, spec });
const mcpTool = { type: "mcp", mcp: { mcpServerRef: { name: "fs" }, toolName: "rm" } };
const errors = (kind: string, spec: unknown) => {
  const result = validateArkResource(manifest(kind, spec));
  return result.ok ? [] : result.errors.map((e) => `${e.field}: ${e.detail}`);
};

describe("Tool spec.approval", () => {
  it("accepts upstream's fields and a when condition over args", () => {
    const approval = { required: true, when: "args.amount > 100", timeout: "10m", onTimeout: "proceed", approvers: [{ user: "alice" }], reasonRequired: true };
    expect(errors("Tool", { ...mcpTool, approval })).toEqual([]);
  });

  it("refuses CEL that does not compile, naming the field", () => {
    const [error] = errors("Tool", { ...mcpTool, approval: { required: true, when: "args.amount >" } });
    expect(error).toMatch(/^spec\.approval\.when: CEL does not compile/);
  });

  it("refuses an onTimeout other than reject or proceed, and a negative timeout", () => {
    expect(errors("Tool", { ...mcpTool, approval: { onTimeout: "ignore" } })[0]).toMatch(/^spec\.approval\.onTimeout/);
    expect(errors("Tool", { ...mcpTool, approval: { timeout: "-1m" } })).toEqual(["spec.approval.timeout: approval timeout cannot be negative"]);
  });

  it("refuses an approver naming no one (no user, group or role), naming the entry", () => {
    expect(errors("Tool", { ...mcpTool, approval: { required: true, approvers: [{ user: "alice" }, {}] } })).toEqual(["spec.approval.approvers[1]: an approver needs user, group or role"]);
  });

  it("an agent tool entry's override is checked the same way", () => {
    const spec = {
      tools: [
        { type: "custom", name: "pay", approval: { required: false } },
        { type: "custom", name: "rm", approval: { when: "args." } },
      ],
    };
    expect(errors("Agent", spec)[0]).toMatch(/^spec\.tools\[1\]\.approval\.when: CEL does not compile/);
  });

  it("the entry's fields win over the Tool's, field by field", () => {
    expect(effectiveToolApproval({ required: true, timeout: "5m" }, { required: false })).toEqual({ required: false, timeout: "5m" });
    expect(effectiveToolApproval(undefined, { when: "args.a > 1" })).toEqual({ when: "args.a > 1" });
    expect(effectiveToolApproval(undefined, undefined)).toBeUndefined();
  });
});

describe("ToolApprovalRequest", () => {
  const request = {
    queryRef: { name: "q", namespace: "default" },
    toolCalls: [{ id: "c1", name: "rm", type: "mcp", arguments: '{"path":"/tmp"}' }],
    executionContext: { conversationHistory: "W10=", pendingToolCallIndex: 0, agentName: "a", agentNamespace: "default" },
  };

  it("accepts upstream's shape", () => {
    expect(errors("ToolApprovalRequest", request)).toEqual([]);
  });

  it("needs at least one call, with JSON arguments", () => {
    expect(errors("ToolApprovalRequest", { ...request, toolCalls: [] })[0]).toMatch(/^spec\.toolCalls/);
    expect(errors("ToolApprovalRequest", { ...request, toolCalls: [{ ...request.toolCalls[0], arguments: "{" }] })).toEqual(["spec.toolCalls[0].arguments: not JSON"]);
  });

  it("refuses an approver naming no one", () => {
    expect(errors("ToolApprovalRequest", { ...request, approvers: [{ group: "" }] })).toEqual(["spec.approvers[0]: an approver needs user, group or role"]);
  });
});
