import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { compileCel } from "../cel/cel.js";

// The CRD a real cluster gets (crds/, generated from the zod schema): its status carries the transition rule that
// makes status.decision set-once there too, as ark-apiserver's 409 does (docs/architecture.md §3.2).
const crdFile = fileURLToPath(new URL("../../../../crds/ark.mckinsey.com_toolapprovalrequests.yaml", import.meta.url));
const crd = parse(readFileSync(crdFile, "utf8")) as { spec: { versions: { schema: { openAPIV3Schema: { properties: { status: Record<string, any> } } } }[] } };
const status = crd.spec.versions[0]!.schema.openAPIV3Schema.properties.status;

const approved = { action: "approved", decidedBy: "alice", decidedAt: "2026-01-01T00:00:00Z" };

describe("the ToolApprovalRequest CRD refuses a second status.decision", () => {
  const rules = status["x-kubernetes-validations"] as { rule: string; message: string; fieldPath?: string }[];
  const program = compileCel(rules[0]!.rule, { self: "dyn", oldSelf: "dyn" });
  const allows = (oldSelf: object, self: object) => program.evaluate({ oldSelf, self }) === true;

  it("has one transition rule on status, naming status.decision in its message and path", () => {
    expect(rules).toHaveLength(1);
    expect(rules[0]!.rule).toContain("oldSelf");
    expect(rules[0]!.message).toMatch(/^status\.decision is set once/);
    expect(rules[0]!.fieldPath).toBe(".decision");
  });

  it("lets the first decision in, and any status write that keeps it", () => {
    expect(allows({ phase: "pending" }, { phase: "pending", decision: approved })).toBe(true);
    expect(allows({ phase: "pending" }, { phase: "pending" })).toBe(true);
    expect(allows({ decision: approved }, { phase: "approved", decision: approved, approvalDuration: "3s" })).toBe(true);
  });

  it("refuses replacing the decision (another action, decider or time) or removing it", () => {
    expect(allows({ decision: approved }, { decision: { ...approved, action: "rejected" } })).toBe(false);
    expect(allows({ decision: approved }, { decision: { ...approved, decidedBy: "mallory" } })).toBe(false);
    expect(allows({ decision: approved }, { decision: { ...approved, decidedAt: "2026-01-01T00:00:01Z" } })).toBe(false);
    expect(allows({ decision: approved }, { phase: "approved" })).toBe(false);
  });
});
