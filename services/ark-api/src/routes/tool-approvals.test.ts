import { createArkClient, type ArkClient } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";

const ADMIN_KEY = "admin-key-for-tests-0123456789";
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

// docs/architecture.md §3.2: people decide ToolApprovalRequests through ark-api; the run resumes from the controller.
describe.skipIf(!testPostgres())("ark-api tool approvals", () => {
  let stack: TestStack;
  let ark: ArkClient;
  let counter = 0;
  beforeAll(async () => {
    stack = await startTestStack("ark-api-tool-approvals");
    ark = createArkClient(stack.kubeConfig);
  });
  afterAll(async () => stack?.close());

  async function pending(options: { reasonRequired?: boolean; calls?: number; approvers?: Array<{ user?: string; group?: string }> } = {}): Promise<string> {
    counter += 1;
    const name = `pay-${counter}`;
    const calls = Array.from({ length: options.calls ?? 1 }, (_, i) => ({ id: `call_${i}`, name: "pay", type: "http", arguments: `{"amount":${500 + i}}` }));
    await ark.toolApprovalRequests.create({
      metadata: { name, namespace: "default" },
      spec: {
        queryRef: { name: `q-${counter}`, namespace: "default" },
        toolCalls: calls,
        ...(options.reasonRequired ? { reasonRequired: true } : {}),
        ...(options.approvers ? { approvers: options.approvers } : {}),
        executionContext: { conversationHistory: "W10=", pendingToolCallIndex: 0, agentName: "cashier", agentNamespace: "default" },
      },
    });
    await ark.toolApprovalRequests.patchStatus("default", name, { phase: "pending" });
    return name;
  }

  it("lists requests with their query, calls and phase, filtered by phase", async () => {
    const name = await pending();
    const listed = await stack.call("GET", "/v1/namespaces/default/tool-approvals?phase=pending");
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ name, query: `q-${counter}`, phase: "pending", toolCalls: [expect.objectContaining({ name: "pay", arguments: '{"amount":500}' })] }));
    expect((await stack.call("GET", "/v1/namespaces/default/tool-approvals?phase=approved")).body.items).toEqual([]);
    expect((await stack.call("GET", `/v1/namespaces/default/tool-approvals/${name}`)).body).toMatchObject({ name, phase: "pending" });
    expect((await stack.call("GET", "/v1/namespaces/default/tool-approvals/nobody")).status).toBe(404);
  });

  it("approves with a reason and replacement arguments, recording who decided; a second decision is a conflict", async () => {
    const name = await pending();
    const approved = await stack.call("POST", `/v1/namespaces/default/tool-approvals/${name}/approve`, { reason: "ok", arguments: { amount: 50 } }, { "user-agent": "approver-test" });
    expect(approved.status).toBe(200);
    const stored = await ark.toolApprovalRequests.get("default", name);
    expect(stored?.status?.decision).toMatchObject({ action: "approved", decidedBy: "anonymous", reason: "ok", arguments: { amount: 50 }, clientContext: { userAgent: "approver-test" } });
    const again = await stack.call("POST", `/v1/namespaces/default/tool-approvals/${name}/reject`, { reason: "no" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("already approved");
  });

  it("a rejection needs a reason when the request says so; arguments only for one call, and only when approving", async () => {
    const strict = await pending({ reasonRequired: true });
    const bare = await stack.call("POST", `/v1/namespaces/default/tool-approvals/${strict}/reject`);
    expect(bare.status).toBe(422);
    expect(bare.body.error.message).toContain("body.reason");
    expect((await stack.call("POST", `/v1/namespaces/default/tool-approvals/${strict}/reject`, { reason: "too much" })).status).toBe(200);
    expect((await ark.toolApprovalRequests.get("default", strict))?.status?.decision).toMatchObject({ action: "rejected", reason: "too much" });

    const two = await pending({ calls: 2 });
    const edited = await stack.call("POST", `/v1/namespaces/default/tool-approvals/${two}/approve`, { arguments: { amount: 1 } });
    expect(edited.status).toBe(422);
    expect(edited.body.error.message).toContain("body.arguments");
    expect((await stack.call("POST", `/v1/namespaces/default/tool-approvals/${two}/approve`, { amount: 1 })).status).toBe(422);
  });

  it("the API itself refuses to replace a decision (a kubectl status patch gets 409); status writes that keep it pass", async () => {
    const name = await pending();
    const decision = { action: "approved" as const, decidedBy: "alice", decidedAt: new Date().toISOString() };
    await ark.toolApprovalRequests.patchStatus("default", name, { decision });
    const replaced = await ark.toolApprovalRequests.patchStatus("default", name, { decision: { ...decision, action: "rejected", decidedBy: "mallory" } }).catch((err: unknown) => err);
    expect(String((replaced as Error).message ?? replaced)).toMatch(/409|already approved by alice/);
    expect((await ark.toolApprovalRequests.patchStatus("default", name, { phase: "approved" })).status).toMatchObject({ phase: "approved", decision: { decidedBy: "alice" } });
  });

  it("two deciders at once: one wins, the other gets 409", async () => {
    const name = await pending();
    const results = await Promise.all([stack.call("POST", `/v1/namespaces/default/tool-approvals/${name}/approve`, {}), stack.call("POST", `/v1/namespaces/default/tool-approvals/${name}/reject`, {})]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("is authenticated and bounded by the key's namespaces", async () => {
    const url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY })).url;
    expect((await fetch(`${url}/v1/namespaces/default/tool-approvals`)).status).toBe(401);
    const created = await fetch(`${url}/v1/api-keys`, { method: "POST", headers: { ...bearer(ADMIN_KEY), "content-type": "application/json" }, body: JSON.stringify({ name: "team", namespaces: ["team-a"] }) });
    const { key } = (await created.json()) as { key: string };
    const name = await pending();
    const outside = await fetch(`${url}/v1/namespaces/default/tool-approvals/${name}/approve`, { method: "POST", headers: bearer(key) });
    expect(outside.status).toBe(403);
    expect((await ark.toolApprovalRequests.get("default", name))?.status?.decision).toBeUndefined();
  });

  it("with spec.approvers only they decide: another API key is 403 naming the approvers, the approver's key decides", async () => {
    const url = (await stack.startApi({ ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY })).url;
    const keyNamed = async (keyName: string) => {
      const created = await fetch(`${url}/v1/api-keys`, { method: "POST", headers: { ...bearer(ADMIN_KEY), "content-type": "application/json" }, body: JSON.stringify({ name: keyName, namespaces: ["default"] }) });
      return ((await created.json()) as { key: string }).key;
    };
    const [alice, mallory] = [await keyNamed("alice"), await keyNamed("mallory")];
    const name = await pending({ approvers: [{ user: "alice" }, { group: "payments" }] });
    const post = (key: string, verb: string) => fetch(`${url}/v1/namespaces/default/tool-approvals/${name}/${verb}`, { method: "POST", headers: { ...bearer(key), "content-type": "application/json" }, body: "{}" });
    for (const key of [mallory, ADMIN_KEY]) {
      const refused = await post(key, "approve");
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("only by its approvers (spec.approvers: user alice, group payments)");
    }
    expect((await ark.toolApprovalRequests.get("default", name))?.status?.decision).toBeUndefined();
    const decided = await post(alice, "reject");
    expect(decided.status).toBe(200);
    expect((await ark.toolApprovalRequests.get("default", name))?.status?.decision).toMatchObject({ action: "rejected", decidedBy: expect.stringMatching(/^apikey:alice\(/) });
  });
});
