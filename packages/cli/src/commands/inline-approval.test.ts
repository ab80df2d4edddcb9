import { createArkClient, type ArkClient, type Query } from "@ark/kube";
import { testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryCreatedAfter, startApiStack, type ApiStack } from "../test-support/api-stack.js";

const time = () => new Date().toISOString();
const target = { type: "agent" as const, name: "cashier" };

// docs/architecture.md §3.2: `ark query` / `ark chat` on a terminal ask the person to decide a paused call inline.
describe.skipIf(!testPostgres())("inline tool approval (the binary on a pseudo-terminal against ark-api)", { timeout: 120_000 }, () => {
  let stack: ApiStack;
  let ark: ArkClient;

  beforeAll(async () => {
    stack = await startApiStack("cli-inline-approval");
    ark = createArkClient(stack.kubeConfig);
  }, 60_000);
  afterAll(async () => stack?.close());

  /** Plays the worker: waits for the query the CLI created, pauses it on a ToolApprovalRequest and says so on the bus. */
  async function pauseNextQuery(known: Set<string>): Promise<{ query: Query; request: string; publish: (event: QueryEvent) => Promise<unknown> }> {
    const query = await queryCreatedAfter(ark, known);
    known.add(query.metadata.name!);
    const ref = { namespace: "default", name: query.metadata.name!, queryUid: query.metadata.uid! };
    const request = `${ref.name}-pay`;
    await ark.toolApprovalRequests.create({
      metadata: { name: request, namespace: "default" },
      spec: {
        queryRef: { name: ref.name, namespace: "default" },
        toolCalls: [{ id: "c1", name: "pay", type: "http", arguments: '{"amount":500}' }],
        executionContext: { conversationHistory: "W10=", pendingToolCallIndex: 0, agentName: "cashier", agentNamespace: "default" },
      },
    });
    const publish = (event: QueryEvent) => stack.bus.publishEvent(ref, event);
    await publish({ type: "query.started", time: time(), namespace: "default", name: ref.name, targets: [target] });
    await publish({ type: "tool.approval.requested", time: time(), target, request, toolCalls: [{ id: "c1", name: "pay", arguments: '{"amount":500}' }] } as QueryEvent);
    return { query, request, publish };
  }

  function decisionOf(name: string) {
    return vi.waitFor(
      async () => {
        const decision = (await ark.toolApprovalRequests.get("default", name))?.status?.decision;
        expect(decision, `request ${name}'s decision`).toBeDefined();
        return decision!;
      },
      { ...WITHIN_TEST_TIMEOUT, interval: 20 },
    );
  }

  const completed = (answer: string): QueryEvent =>
    ({ type: "query.completed", time: time(), responses: [{ target, content: answer }], tokenUsage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, durationMs: 5 }) as QueryEvent;

  it("ark query shows the calls, asks approve or reject with a reason, sends it through ark-api and follows the run to its answer", async () => {
    const known = new Set((await ark.queries.list("default")).map((q) => q.metadata.name!));
    const run = stack.arkOnTerminal("query", "agent/cashier", "pay 500");
    const { request, publish } = await pauseNextQuery(known);
    await run.shows(/pay\(\{"amount":500\}\)[\s\S]*approve\? \[y\/n\]/);
    run.type("maybe");
    await run.shows(/answer y \(approve\) or n \(reject\)[\s\S]*approve\? \[y\/n\]/);
    run.type("y");
    await run.shows(/reason \(optional\):/);
    run.type("looks right");
    expect(await decisionOf(request)).toMatchObject({ action: "approved", reason: "looks right" });
    await run.shows(/✓ approved .*\(looks right\); the run goes on/);
    await publish(completed("paid 500"));
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain("paid 500");
    expect(run.output()).not.toContain("ark approvals approve");
  });

  it("ark chat asks on its own input line; a rejection without a reason is sent as one", async () => {
    const known = new Set((await ark.queries.list("default")).map((q) => q.metadata.name!));
    const run = stack.arkOnTerminal("chat", "agent/cashier");
    await run.shows(/you> /);
    run.type("pay 500");
    const { request, publish } = await pauseNextQuery(known);
    await run.shows(/approve\? \[y\/n\]/);
    run.type("n");
    await run.shows(/reason \(optional\):/);
    run.type("");
    expect(await decisionOf(request)).toMatchObject({ action: "rejected" });
    expect((await decisionOf(request)).reason).toBeUndefined();
    await publish(completed("I did not pay."));
    await run.shows(/cashier> I did not pay\./);
    await run.shows(/you> /);
    run.type("/exit");
    expect(await run.exit).toBe(0);
  });

  it("without a terminal, ark query prints how to decide and keeps following", async () => {
    const known = new Set((await ark.queries.list("default")).map((q) => q.metadata.name!));
    const running = stack.ark("query", "agent/cashier", "pay 500");
    const { request, publish } = await pauseNextQuery(known);
    // Events are replayed to a follower from the query's start: the CLI sees the pause, then the end.
    await publish(completed("paid 500"));
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`ark approvals approve ${request}`);
    expect((await ark.toolApprovalRequests.get("default", request))?.status?.decision).toBeUndefined();
  });
});
