import { compileCel, DECISION_SET_ONCE_RULE, toolApprovalRequestKind } from "@ark/types";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube-object.js";
import { checkDecisionUnchanged } from "./tool-approval-decision.js";

const rt = { ...toolApprovalRequestKind, namespaced: true, shortNames: ["tar"], verbs: [], statusSubresource: true, printerColumns: [], openAPISchema: {} };
const approved = { action: "approved", decidedBy: "alice", decidedAt: "2026-01-01T00:00:00Z", reason: "ok" };
const transitions: [string, object, object][] = [
  ["first decision", { phase: "pending" }, { phase: "pending", decision: approved }],
  ["no decision yet", { phase: "pending" }, { phase: "expired" }],
  ["decision kept, phase set", { decision: approved }, { phase: "approved", decision: approved }],
  ["decision kept, reason edited", { decision: approved }, { decision: { ...approved, reason: "fine" } }],
  ["action replaced", { decision: approved }, { decision: { ...approved, action: "rejected" } }],
  ["decider replaced", { decision: approved }, { decision: { ...approved, decidedBy: "bob" } }],
  ["time replaced", { decision: approved }, { decision: { ...approved, decidedAt: "2026-01-02T00:00:00Z" } }],
  ["decision removed", { decision: approved }, { phase: "approved" }],
];

// ark-apiserver does not run CRD CEL rules; it refuses the same transitions itself (409). The CRD's rule, which a
// real cluster runs, must agree with it on every transition.
describe("status.decision is set once, alike here and on a real cluster", () => {
  const rule = compileCel(DECISION_SET_ONCE_RULE.rule, { self: "dyn", oldSelf: "dyn" });
  const object = (status: object): KubeObject => ({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "ToolApprovalRequest", metadata: { name: "tar-1", namespace: "default" }, status });

  for (const [name, before, after] of transitions) {
    it(`${name}: the apiserver and the CRD rule agree`, () => {
      const apiserverAllows = (() => {
        try {
          checkDecisionUnchanged(rt, object(before), object(after));
          return true;
        } catch (err) {
          expect((err as { code?: number }).code).toBe(409);
          return false;
        }
      })();
      expect(rule.evaluate({ oldSelf: before, self: after })).toBe(apiserverAllows);
    });
  }

  it("refuses what it should", () => {
    expect(() => checkDecisionUnchanged(rt, object({ decision: approved }), object({}))).toThrow(/status\.decision is set once/);
  });
});
