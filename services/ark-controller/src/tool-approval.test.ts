import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MemoryQueryBus } from "@ark/bus";
import type { Query, ToolApprovalRequest } from "@ark/kube";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningController } from "./server.js";
import { startApiStack, type ApiStack } from "./test-support/api-stack.js";
import { startTestController } from "./test-support/controller.js";
import { answerQueries, createAgent, queryRequests, createApiKeySecret, createMockModel, createQuery, freshNamespace, uniqueName } from "./test-support/manifests.js";

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

  /** The Query once it is paused on a tool approval (condition AwaitingApproval True) and shows running (its running write waits briefly, docs/architecture.md §3). */
  function awaitingApproval(ns: string, name: string): Promise<Query> {
    return vi.waitFor(async () => {
      const query = await stack.resources.ark.queries.get(ns, name);
      expect(query?.status?.conditions, `query ${ns}/${name}'s conditions`).toContainEqual(expect.objectContaining({ type: "AwaitingApproval", status: "True" }));
      expect(query?.status?.phase, `query ${ns}/${name}'s phase`).toBe("running");
      return query!;
    }, WITHIN_TEST_TIMEOUT);
  }

  async function paused(ns: string, input: string): Promise<{ name: string; request: ToolApprovalRequest; query: Query }> {
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input, target: { type: "agent", name: "cashier" } });
    const query = await awaitingApproval(ns, name);
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
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status).toMatchObject({ phase: "done", response: { content: "result: paid 500" } });
    expect(paid).toEqual([500]);
    const decided = await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!);
    expect(decided?.status).toMatchObject({ phase: "approved", decision: { action: "approved", decidedBy: "alice" }, approvalDuration: expect.any(String) });
    expect(done.status?.conditions?.find((c) => c.type === "AwaitingApproval")).toMatchObject({ status: "False" });
    expect(done.status?.tokenUsage?.totalTokens).toBeGreaterThan(0);
    // An Event on the request records who decided and when.
    const requestName = request.metadata.name!;
    const events = await vi.waitFor(async () => {
      const about = (await stack.resources.core.api.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.name === requestName);
      expect(
        about.map((e) => e.reason),
        `reasons of the Events about ${requestName}`,
      ).toContain("ToolApprovalApproved");
      return about;
    }, WITHIN_TEST_TIMEOUT);
    const approved = events.find((e) => e.reason === "ToolApprovalApproved");
    expect(approved?.message).toMatch(new RegExp(`^approved by alice at ${decided!.status!.decision!.decidedAt.replace(/[.]/g, "\\.")}`));
    expect(events.map((e) => e.reason)).toContain("ToolApprovalRequested");
  });

  it("a rejection goes back to the model as the tool result with the reason, and the agent continues", async () => {
    const ns = await cashier({ required: true });
    const { name, request } = await paused(ns, "pay 500");
    await decide(ns, request, { action: "rejected", decidedBy: "bob", reason: "too much" });
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status).toMatchObject({ phase: "done", response: { content: "result: Error: the call was rejected by bob: too much" } });
    expect(paid).toEqual([]);
    expect((await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!))?.status?.phase).toBe("rejected");
  });

  it("an approval with arguments runs the call with them instead", async () => {
    const ns = await cashier({ required: true });
    const { name, request } = await paused(ns, "pay 500");
    await decide(ns, request, { action: "approved", arguments: { amount: 50 } });
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status?.response?.content).toBe("result: paid 50");
    expect(paid).toEqual([50]);
  });

  it("a when condition lets a small call through without a request", async () => {
    const ns = await cashier({ required: true, when: "args.amount > 100" });
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input: "pay 20", target: { type: "agent", name: "cashier" } });
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status?.response?.content).toBe("result: paid 20");
    expect(await stack.resources.ark.toolApprovalRequests.list(ns)).toEqual([]);
  });

  it("the agent's tool entry overrides the Tool's approval", async () => {
    const ns = await cashier({ required: true }, { approval: { required: false } });
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input: "pay 700", target: { type: "agent", name: "cashier" } });
    expect((await finishedQuery(stack.resources.ark.queries, ns, name)).status?.response?.content).toBe("result: paid 700");
  });

  it.each([
    ["reject", "result: Error: the call was not approved: its approval request expired after 1s without a decision", []],
    ["proceed", "result: paid 500", [500]],
  ])("an expired request with onTimeout %s", async (onTimeout, answer, calls) => {
    const ns = await cashier({ required: true, timeout: "1s", onTimeout });
    // The pause lasts 1s: on a loaded machine it may be over before a poll sees it, so the test reads what it left behind.
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input: "pay 500", target: { type: "agent", name: "cashier" } });
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status?.response?.content).toBe(answer);
    expect(paid).toEqual(calls);
    expect(done.status?.conditions).toContainEqual(expect.objectContaining({ type: "AwaitingApproval", status: "False", reason: "ApprovalExpired" }));
    const requests = await stack.resources.ark.toolApprovalRequests.list(ns);
    expect(requests.map((r) => r.status?.phase)).toEqual(["expired"]);
  });

  it("200 paused queries hold no worker: with far more waiting than worker slots (2), a query without approval still runs at once", async () => {
    const ns = await cashier({ required: true, when: "args.amount > 100" });
    const waiting = Array.from({ length: 200 }, () => uniqueName("q"));
    await Promise.all(waiting.map((name) => createQuery(stack, ns, name, { input: "pay 500", target: { type: "agent", name: "cashier" } })));
    const pending = async () => (await stack.resources.ark.toolApprovalRequests.list(ns)).filter((r) => r.status?.phase === "pending").length;
    await expect.poll(pending, { timeout: 50_000, interval: 100 }).toBe(waiting.length);
    const name = uniqueName("q");
    const before = performance.now();
    await createQuery(stack, ns, name, { input: "pay 5", target: { type: "agent", name: "cashier" } });
    expect((await finishedQuery(stack.resources.ark.queries, ns, name, { timeout: 50_000 })).status?.response?.content).toBe("result: paid 5");
    // Were the 200 holding the 2 worker slots, it would never run; it runs in about a second (bounded loosely for a loaded machine).
    expect(performance.now() - before).toBeLessThan(10_000);
    expect(paid).toEqual([5]);
    const queries = await stack.resources.ark.queries.list(ns);
    expect(queries.filter((q) => waiting.includes(q.metadata.name!)).every((q) => q.status?.phase === "running")).toBe(true);
  }, 60_000);

  /** The cashier's namespace with a greeter agent, for teams: it answers "hello" and calls nothing. */
  async function withGreeter(ns: string) {
    await createAgent(stack, ns, "greeter", { prompt: "You greet." });
    const reply = stack.mock;
    answerQueries(reply, (request) => {
      const system = String(request.messages[0]?.content ?? "");
      // A selector picks the greeter first, then the cashier (the transcript has the greeter's hello).
      if (request.lastUserText === "Select the next participant to respond.") return { text: system.includes("hello") ? "cashier" : "greeter" };
      if (system.includes("You greet")) return { text: "hello" };
      const result = [...request.messages].reverse().find((m) => m.role === "tool");
      if (system.includes("You front")) {
        return result ? { text: `front: ${String(result.content)}` } : { text: "Asking the cashier.", toolCalls: [{ name: "ask-cashier", arguments: { input: "pay 300" } }] };
      }
      if (result) return { text: `result: ${String(result.content)}` };
      const amount = Number(/pay (\d+)/.exec(request.lastUserText ?? "")?.[1] ?? "0");
      return { text: "I will pay.", toolCalls: [{ name: "pay", arguments: { amount } }] };
    });
  }
  const greeterCalls = () => queryRequests(stack.mock).filter((r) => JSON.stringify(r.body).includes("You greet.")).length;

  async function pausedOn(ns: string, target: { type: string; name: string }, input: string) {
    const name = uniqueName("q");
    await createQuery(stack, ns, name, { input, target });
    await awaitingApproval(ns, name);
    const [request] = await stack.resources.ark.toolApprovalRequests.list(ns);
    return { name, request: request! };
  }

  it.each([
    ["sequential", {}],
    ["round-robin", { maxTurns: 1 }],
    ["graph", { graph: { edges: [{ from: "greeter", to: "cashier" }] } }],
    ["selector", { maxTurns: 2 }],
  ])("a %s team whose member calls an approval tool pauses at that member and, approved, goes on from it", async (strategy, extra) => {
    const ns = await cashier({ required: true });
    await withGreeter(ns);
    await stack.resources.ark.teams.create({
      metadata: { name: "shop", namespace: ns },
      spec: {
        strategy,
        members: [
          { type: "agent", name: "greeter" },
          { type: "agent", name: "cashier" },
        ],
        ...extra,
      } as never,
    });
    const { name, request } = await pausedOn(ns, { type: "team", name: "shop" }, "pay 500");
    expect(request.spec.toolCalls).toMatchObject([{ name: "pay", arguments: '{"amount":500}' }]);
    expect(request.spec.executionContext).toMatchObject({ agentName: "cashier", agentNamespace: ns, pendingToolCallIndex: 0, enclosingRuns: expect.any(String) });
    expect(paid).toEqual([]);
    await controller.stop();
    controller = await startTestController(stack, bus, ENV);
    await decide(ns, request, { action: "approved" });
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status).toMatchObject({ phase: "done", response: { content: "result: paid 500" } });
    expect(paid).toEqual([500]);
    // The greeter spoke once and a selector chose twice: the team resumed at the cashier, not from its start.
    expect(greeterCalls()).toBe(1);
    const selections = queryRequests(stack.mock).filter((r) => JSON.stringify(r.body).includes("Select the next participant")).length;
    expect(selections).toBe(strategy === "selector" ? 2 : 0);
  });

  it.each(["agent", "team"] as const)("a nested %s called as a tool pauses inside its caller's run; rejected, the caller sees the nested answer to the rejection", async (kind) => {
    const ns = await cashier({ required: true });
    await withGreeter(ns);
    await stack.resources.ark.teams.create({
      metadata: { name: "shop", namespace: ns },
      spec: {
        strategy: "sequential",
        members: [
          { type: "agent", name: "greeter" },
          { type: "agent", name: "cashier" },
        ],
      } as never,
    });
    const runs = kind === "agent" ? { agent: { name: "cashier" } } : { team: { name: "shop" } };
    await stack.resources.ark.tools.create({ metadata: { name: "ask-cashier", namespace: ns }, spec: { type: kind, description: "Ask the cashier", ...runs } as never });
    // Upstream's agent tool entry of type agent (or team) naming the Tool.
    await createAgent(stack, ns, "front", { prompt: "You front.", tools: [{ type: kind, name: "ask-cashier" }] });
    const { name, request } = await pausedOn(ns, { type: "agent", name: "front" }, "buy");
    expect(request.spec.toolCalls).toMatchObject([{ name: "pay", arguments: '{"amount":300}' }]);
    expect(request.spec.executionContext).toMatchObject({ agentName: "cashier", enclosingRuns: expect.any(String) });
    await decide(ns, request, { action: "rejected", reason: "not today" });
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status?.response?.content).toBe("front: result: Error: the call was rejected by alice: not today");
    expect(paid).toEqual([]);
    expect(greeterCalls()).toBe(kind === "team" ? 1 : 0);
  });

  it("an agent called as a tool by a team member: approved, the tool runs once and the team completes", async () => {
    const ns = await cashier({ required: true });
    await withGreeter(ns);
    await stack.resources.ark.tools.create({ metadata: { name: "ask-cashier", namespace: ns }, spec: { type: "agent", description: "Ask the cashier", agent: { name: "cashier" } } as never });
    await createAgent(stack, ns, "front", { prompt: "You front.", tools: [{ type: "agent", name: "ask-cashier" }] });
    await stack.resources.ark.teams.create({
      metadata: { name: "desk", namespace: ns },
      spec: {
        strategy: "sequential",
        members: [
          { type: "agent", name: "greeter" },
          { type: "agent", name: "front" },
        ],
      } as never,
    });
    const { name, request } = await pausedOn(ns, { type: "team", name: "desk" }, "buy");
    await decide(ns, request, { action: "approved" });
    const done = await finishedQuery(stack.resources.ark.queries, ns, name);
    expect(done.status).toMatchObject({ phase: "done", response: { content: "front: result: paid 300" } });
    expect(paid).toEqual([300]);
    expect(greeterCalls()).toBe(1);
  });

  it("canceling the query expires its pending request", async () => {
    const ns = await cashier({ required: true });
    const { name, request } = await paused(ns, "pay 500");
    await stack.resources.ark.queries.patch(ns, name, { spec: { cancel: true } } as never);
    await finishedQuery(stack.resources.ark.queries, ns, name);
    await expect.poll(async () => (await stack.resources.ark.toolApprovalRequests.get(ns, request.metadata.name!))?.status?.phase, WITHIN_TEST_TIMEOUT).toBe("expired");
    expect(paid).toEqual([]);
  });
});
