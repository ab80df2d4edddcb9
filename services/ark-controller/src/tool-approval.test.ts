import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MemoryQueryBus } from "@ark/bus";
import type { Query, ToolApprovalRequest } from "@ark/kube";
import { testPostgres } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningController } from "./server.js";
import { startApiStack, type ApiStack } from "./test-support/api-stack.js";
import { finished, startTestController, waitForQuery } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, uniqueName } from "./test-support/manifests.js";

// docs/architecture.md §3.2: a run pauses on a ToolApprovalRequest, holds no worker, and resumes on any worker.
describe.skipIf(!testPostgres())("tool approval", () => {
  let stack: ApiStack;
  let bus: MemoryQueryBus<QueryEvent>;
  let controller: RunningController;
  let payments: Server;
  let paid: number[] = [];
  let payUrl: string;
  const ENV = { ARK_EGRESS_ALLOW: "127.0.0.1", WORKER_CONCURRENCY: "2" };

  beforeAll(async () => {
    payments = createServer((req, res) => {
      const amount = Number(new URL(req.url ?? "/", "http://localhost").searchParams.get("amount"));
      paid.push(amount);
      res.end(`paid ${amount}`);
    });
    await new Promise<void>((resolve) => payments.listen(0, "127.0.0.1", resolve));
    payUrl = `http://127.0.0.1:${(payments.address() as AddressInfo).port}/pay?amount={amount}`;
    stack = await startApiStack();
    bus = new MemoryQueryBus<QueryEvent>();
    controller = await startTestController(stack, bus, ENV);
  });
  afterAll(async () => {
    await controller?.stop();
    await bus?.close();
    await stack?.close();
    await new Promise((resolve) => payments?.close(resolve));
  });
  beforeEach(() => {
    stack.mock.reset();
    paid = [];
    // The model pays the amount the user names; with the tool's result it answers with it.
    answerQueries(stack.mock, (request) => {
      const result = [...request.messages].reverse().find((m) => m.role === "tool");
      if (result) return { text: `result: ${String(result.content)}` };
      const amount = Number(/pay (\d+)/.exec(request.lastUserText ?? "")?.[1] ?? "0");
      return { text: "I will pay.", toolCalls: [{ name: "pay", arguments: { amount } }] };
    });
  });

  async function cashier(approval: Record<string, unknown>, entry: Record<string, unknown> = {}) {
    const ns = await freshNamespace(stack);
    await createApiKeySecret(stack, ns, "mock-key");
    await createMockModel(stack, ns, "default", { secret: "mock-key" });
    await stack.resources.ark.tools.create({
      metadata: { name: "pay", namespace: ns },
      spec: {
        type: "http",
        description: "Pays an amount",
        inputSchema: { type: "object", properties: { amount: { type: "number" } } },
        annotations: { destructiveHint: true },
        http: { url: payUrl },
        approval: approval as never,
      },
    });
    await createAgent(stack, ns, "cashier", { tools: [{ type: "custom", name: "pay", ...entry }] });
    return ns;
  }

  async function paused(ns: string, input: string): Promise<{ name: string; request: ToolApprovalRequest; query: Query }> {
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input, target: { type: "agent", name: "cashier" } });
    const query = await waitForQuery(stack, ns, name, (q) => q.status?.conditions?.some((c) => c.type === "AwaitingApproval" && c.status === "True") === true);
    const [request] = await stack.resources.ark.toolApprovalRequests.list(ns);
    return { name, request: request!, query };
  }

  const decide = (ns: string, request: ToolApprovalRequest, decision: Record<string, unknown>) =>
    stack.resources.ark.toolApprovalRequests.patchStatus(ns, request.metadata.name!, {
      decision: { decidedBy: "alice", decidedAt: new Date().toISOString(), ...decision } as never,
    });

  it("pauses with a pending request, survives a restart of every worker, and completes once approved through the status", async () => {
    const ns = await cashier({ required: true, when: "args.amount > 100", reasonRequired: true });
    const { name, request, query } = await paused(ns, "pay 500");
    expect(query.status?.phase).toBe("running");
    expect(request.spec).toMatchObject({
      queryRef: { name, namespace: ns },
      toolCalls: [{ name: "pay", type: "http", arguments: '{"amount":500}', description: "Pays an amount", annotations: { destructiveHint: true }, agentReasoning: "I will pay." }],
      reasonRequired: true,
      executionContext: { agentName: "cashier", agentNamespace: ns, pendingToolCallIndex: 0 },
    });
    expect(request.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Query", name, uid: query.metadata.uid });
    expect((await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!))?.status?.phase).toBe("pending");
    expect(paid).toEqual([]);

    await controller.stop();
    controller = await startTestController(stack, bus, ENV);
    await decide(ns, request, { action: "approved" });
    const done = await waitForQuery(stack, ns, name, finished);
    expect(done.status).toMatchObject({ phase: "done", response: { content: "result: paid 500" } });
    expect(paid).toEqual([500]);
    const decided = await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!);
    expect(decided?.status).toMatchObject({ phase: "approved", decision: { action: "approved", decidedBy: "alice" }, approvalDuration: expect.any(String) });
    expect(done.status?.conditions?.find((c) => c.type === "AwaitingApproval")).toMatchObject({ status: "False" });
    expect(done.status?.tokenUsage?.totalTokens).toBeGreaterThan(0);
  });

  it("a rejection goes back to the model as the tool result with the reason, and the agent continues", async () => {
    const ns = await cashier({ required: true });
    const { name, request } = await paused(ns, "pay 500");
    await decide(ns, request, { action: "rejected", decidedBy: "bob", reason: "too much" });
    const done = await waitForQuery(stack, ns, name, finished);
    expect(done.status).toMatchObject({ phase: "done", response: { content: "result: Error: the call was rejected by bob: too much" } });
    expect(paid).toEqual([]);
    expect((await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!))?.status?.phase).toBe("rejected");
  });

  it("an approval with arguments runs the call with them instead", async () => {
    const ns = await cashier({ required: true });
    const { name, request } = await paused(ns, "pay 500");
    await decide(ns, request, { action: "approved", arguments: { amount: 50 } });
    const done = await waitForQuery(stack, ns, name, finished);
    expect(done.status?.response?.content).toBe("result: paid 50");
    expect(paid).toEqual([50]);
  });

  it("a when condition lets a small call through without a request", async () => {
    const ns = await cashier({ required: true, when: "args.amount > 100" });
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input: "pay 20", target: { type: "agent", name: "cashier" } });
    const done = await waitForQuery(stack, ns, name, finished);
    expect(done.status?.response?.content).toBe("result: paid 20");
    expect(await stack.resources.ark.toolApprovalRequests.list(ns)).toEqual([]);
  });

  it("the agent's tool entry overrides the Tool's approval", async () => {
    const ns = await cashier({ required: true }, { approval: { required: false } });
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input: "pay 700", target: { type: "agent", name: "cashier" } });
    expect((await waitForQuery(stack, ns, name, finished)).status?.response?.content).toBe("result: paid 700");
  });

  it.each([
    ["reject", "result: Error: the call was not approved: its approval request expired after 1s without a decision", []],
    ["proceed", "result: paid 500", [500]],
  ])("an expired request with onTimeout %s", async (onTimeout, answer, calls) => {
    const ns = await cashier({ required: true, timeout: "1s", onTimeout });
    const { name, request } = await paused(ns, "pay 500");
    const done = await waitForQuery(stack, ns, name, finished);
    expect(done.status?.response?.content).toBe(answer);
    expect(paid).toEqual(calls);
    expect((await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!))?.status?.phase).toBe("expired");
  });

  it("paused queries hold no worker: with more waiting than worker slots, a query without approval still runs", async () => {
    const ns = await cashier({ required: true, when: "args.amount > 100" });
    for (let i = 0; i < 5; i++) await paused(ns, "pay 500");
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input: "pay 5", target: { type: "agent", name: "cashier" } });
    expect((await waitForQuery(stack, ns, name, finished)).status?.response?.content).toBe("result: paid 5");
  });

  it("canceling the query expires its pending request", async () => {
    const ns = await cashier({ required: true });
    const { name, request } = await paused(ns, "pay 500");
    await stack.resources.ark.queries.patch(ns, name, { spec: { cancel: true } } as never);
    await waitForQuery(stack, ns, name, finished);
    for (;;) {
      const current = await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!);
      if (current?.status?.phase === "expired") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(paid).toEqual([]);
  });
});
