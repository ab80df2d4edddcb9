import { createArkClient } from "@ark/kube";
import { TRACEPARENT_ANNOTATION } from "@ark/types";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiStack, type ApiStack } from "../test-support/api-stack.js";

const team = { type: "team", name: "research" } as const;
const time = "2026-12-05T10:00:00.000Z";
const usage = (promptTokens: number, completionTokens: number) => ({ promptTokens, completionTokens, totalTokens: promptTokens + completionTokens });

// What a worker publishes for a team query: a selector call, a turn whose agent calls two tools (one fails) and a
// nested agent run under a third tool call, then a second turn that reads memory.
const events = [
  { type: "query.started", namespace: "default", name: "traced", targets: [team] },
  { type: "target.started", target: team },
  { type: "team.turn", team: "default/research", turn: 0, target: team },
  { type: "llm.call.started", callId: "sel", model: "default/gpt", target: team },
  { type: "llm.call.completed", callId: "sel", model: "default/gpt", tokenUsage: usage(5, 1), durationMs: 40, finishReason: "stop", target: team },
  { type: "team.member.selected", team: "default/research", member: { type: "agent", name: "searcher" }, turn: 0, reason: "exact_match", target: team },
  { type: "llm.call.started", callId: "c1", model: "default/gpt", target: team, agent: "default/searcher" },
  { type: "llm.call.completed", callId: "c1", model: "default/gpt", tokenUsage: usage(11, 7), durationMs: 120, finishReason: "tool_calls", target: team, agent: "default/searcher" },
  { type: "tool.call.started", toolName: "web", toolCallId: "t1", arguments: "{}", target: team, agent: "default/searcher" },
  { type: "tool.call.completed", toolName: "web", toolCallId: "t1", result: "ok", isError: false, durationMs: 30, target: team, agent: "default/searcher" },
  { type: "tool.call.started", toolName: "missing", toolCallId: "t2", arguments: "{}", target: team, agent: "default/searcher" },
  { type: "tool.call.completed", toolName: "missing", toolCallId: "t2", result: "Error: tool missing not found", isError: true, error: "tool missing not found", durationMs: 0, target: team, agent: "default/searcher" },
  { type: "tool.call.started", toolName: "summarizer", toolCallId: "t3", arguments: "{}", target: team, agent: "default/searcher" },
  { type: "llm.call.started", callId: "n1", model: "default/small", target: team, agent: "default/summarizer", parentToolCallId: "t3" },
  { type: "llm.call.completed", callId: "n1", model: "default/small", tokenUsage: usage(3, 2), durationMs: 15, finishReason: "stop", target: team, agent: "default/summarizer", parentToolCallId: "t3" },
  { type: "tool.call.completed", toolName: "summarizer", toolCallId: "t3", result: "short", isError: false, durationMs: 20, target: team, agent: "default/searcher" },
  { type: "llm.call.started", callId: "c2", model: "default/gpt", target: team, agent: "default/searcher" },
  { type: "llm.call.completed", callId: "c2", model: "default/gpt", tokenUsage: usage(23, 5), durationMs: 80, finishReason: "stop", target: team, agent: "default/searcher" },
  { type: "team.turn", team: "default/research", turn: 1, target: team },
  { type: "team.member.selected", team: "default/research", member: { type: "agent", name: "writer" }, turn: 1, reason: "order", target: team },
  { type: "memory.read", memory: "default/default", sessionId: "s1", messageCount: 4, target: team, agent: "default/writer" },
  { type: "llm.call.started", callId: "c3", model: "default/gpt", target: team, agent: "default/writer" },
  { type: "llm.call.failed", callId: "c3", model: "default/gpt", message: "provider said 500", code: "PROVIDER_ERROR", durationMs: 9, target: team, agent: "default/writer" },
  { type: "target.failed", target: team, message: "team default/research: agent writer: provider said 500", code: "PROVIDER_ERROR", durationMs: 400 },
  { type: "query.failed", message: "team default/research: agent writer: provider said 500", tokenUsage: usage(42, 15), durationMs: 410 },
].map((event) => ({ time, ...event }));

describe.skipIf(!testPostgres())("ark trace (the binary against ark-api)", { timeout: 240_000 }, () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack("cli-trace");
    const queries = createArkClient(stack.kubeConfig).queries;
    const created = await queries.create({
      apiVersion: "ark.mckinsey.com/v1alpha1",
      kind: "Query",
      metadata: { name: "traced", namespace: "default", annotations: { [TRACEPARENT_ANNOTATION]: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } },
      spec: { input: "find and write", target: team },
    } as never);
    const ref = { namespace: "default", name: "traced", queryUid: created.metadata.uid ?? "" };
    for (const event of events) await stack.bus.publishEvent(ref, event as never);
    await queries.patchStatus("default", "traced", { phase: "error", message: "provider said 500" } as never);
  }, 120_000);
  afterAll(async () => stack?.close());

  it("draws the run as a tree: targets, turns, agents, model calls with tokens, tool calls, nested runs, errors", async () => {
    const run = await stack.ark("trace", "traced");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        "trace 0af7651916cd43dd8448eb211c80319c",
        "query default/traced  410ms  tokens 42→15  ✗ team default/research: agent writer: provider said 500",
        "└─ target team/research  400ms  ✗ team default/research: agent writer: provider said 500",
        "   ├─ chat default/gpt  40ms  tokens 5→1  stop",
        "   ├─ team.turn default/research turn 0  agent/searcher",
        "   │  └─ agent default/searcher",
        "   │     ├─ chat default/gpt  120ms  tokens 11→7  tool_calls",
        "   │     ├─ tool web  30ms",
        "   │     ├─ tool missing  0ms  ✗ tool missing not found",
        "   │     ├─ tool summarizer  20ms",
        "   │     │  └─ agent default/summarizer",
        "   │     │     └─ chat default/small  15ms  tokens 3→2  stop",
        "   │     └─ chat default/gpt  80ms  tokens 23→5  stop",
        "   └─ team.turn default/research turn 1  agent/writer  ✗ failed",
        "      └─ agent default/writer  ✗ failed",
        "         ├─ memory.read default/default  session s1  4 messages",
        "         └─ chat default/gpt  9ms  ✗ provider said 500",
        "",
      ].join("\n"),
    );
  });

  it("shows a running query's steps so far, the open ones running, without waiting for its end", async () => {
    const queries = createArkClient(stack.kubeConfig).queries;
    const created = await queries.create({
      apiVersion: "ark.mckinsey.com/v1alpha1",
      kind: "Query",
      metadata: { name: "still-running", namespace: "default" },
      spec: { input: "slow", target: { type: "agent", name: "slow" } },
    } as never);
    const ref = { namespace: "default", name: "still-running", queryUid: created.metadata.uid ?? "" };
    const agent = { type: "agent", name: "slow" };
    for (const event of [
      { type: "query.started", namespace: "default", name: "still-running", targets: [agent] },
      { type: "target.started", target: agent },
      { type: "llm.call.started", callId: "r1", model: "default/gpt", target: agent, agent: "default/slow" },
    ])
      await stack.bus.publishEvent(ref, { time, ...event } as never);
    const started = Date.now();
    const run = await stack.ark("trace", "still-running");
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.stdout).toBe(["query default/still-running  … running", "└─ target agent/slow  … running", "   └─ agent default/slow  … running", "      └─ chat default/gpt  … running", ""].join("\n"));
  });

  it("gives the same tree as JSON, and says what is wrong with an unknown query or output", async () => {
    const json = await stack.ark("trace", "traced", "-o", "json");
    expect(json.code, json.stderr).toBe(0);
    const view = JSON.parse(json.stdout);
    expect(view).toMatchObject({ query: "traced", phase: "error", traceId: "0af7651916cd43dd8448eb211c80319c", tree: { kind: "query", status: "error" } });
    expect(view.tree.children[0].children[1].children[0].children[2]).toMatchObject({ kind: "tool", name: "missing", status: "error", error: "tool missing not found" });

    const missing = await stack.ark("trace", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('query "nope" not found in namespace default');
    const bad = await stack.ark("trace", "traced", "-o", "xml");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--output must be json or yaml, got "xml"');
  });
});
