import type { QueryEvent } from "@ark/types";
import { type MockChatRequest, type MockModel, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isEngineError } from "../errors.js";
import { TokenUsageCollector } from "../events/token-usage-collector.js";
import { HttpPools } from "../http/pools.js";
import { createOpenAIProvider } from "../providers/openai.js";
import type { ModelProvider } from "../providers/provider.js";
import { noopTool, terminateTool } from "../tools/builtin.js";
import { ToolRegistry } from "../tools/registry.js";
import { agentMember, type TeamMember } from "./member.js";
import { runTeam, type TeamDefinition, teamMember } from "./team.js";

let mock: MockModel;
let pools: HttpPools;
let members: ModelProvider;
let selectorModel: ModelProvider;
const tools = new ToolRegistry([noopTool, terminateTool]);

beforeAll(async () => {
  mock = await startMockModel();
  pools = new HttpPools();
  const provider = (model: string) => createOpenAIProvider({ type: "openai", model, baseUrl: mock.url, apiKey: "k" }, { pools, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  members = provider("member-model");
  selectorModel = provider("selector-model");
});
afterAll(async () => {
  await pools.close();
  await mock.close();
});
beforeEach(() => {
  mock.reset();
  // A member answers "<its name>: turn <n>", n counting its own requests.
  const turns = new Map<string, number>();
  mock.setDefault(
    (req: MockChatRequest) => {
      const who = String(req.messages[0]?.content).replace("You are ", "").replace(".", "");
      turns.set(who, (turns.get(who) ?? 0) + 1);
      return `${who}: turn ${turns.get(who)}`;
    },
    { model: "member-model" },
  );
});

const agent = (name: string, description?: string): TeamMember => agentMember({ agent: { namespace: "default", name, prompt: `You are ${name}.` }, provider: members, tools, description });

function team(strategy: string, extra: Partial<TeamDefinition> = {}): TeamDefinition {
  return { namespace: "default", name: "crew", strategy, members: [agent("a"), agent("b"), agent("c")], ...extra };
}

async function run(definition: TeamDefinition, input = "What now?") {
  const events: QueryEvent[] = [];
  const usage = new TokenUsageCollector((e) => events.push(e));
  const result = await runTeam({ team: definition, input, history: [{ role: "user", content: "earlier" }], emit: usage.sink, target: { type: "team", name: "crew" } });
  const selected = events.flatMap((e) => (e.type === "team.member.selected" ? [`${e.member.name}:${e.reason}`] : []));
  const turns = events.flatMap((e) => (e.type === "team.turn" ? [e.turn] : []));
  return { result, events, selected, turns, usage: usage.usage };
}

const memberRequests = () => mock.requests.filter((r) => r.model === "member-model").map((r) => (r.body as { messages: { role: string; content: string; name?: string }[] }).messages);
const speakers = () => memberRequests().map((messages) => messages[0]!.content.replace("You are ", "").replace(".", ""));

describe("team strategies (docs/upstream-compat.md §6.6)", () => {
  it("sequential: members in order, each seeing history, earlier members, then the user input last", async () => {
    const { result, selected, turns } = await run(team("sequential"));
    expect(speakers()).toEqual(["a", "b", "c"]);
    const seenByC = memberRequests()[2]!;
    expect(seenByC.map((m) => [m.role, m.content])).toEqual([
      ["system", "You are c."],
      ["user", "earlier"],
      ["assistant", "a: turn 1"],
      ["assistant", "b: turn 1"],
      ["user", "What now?"],
    ]);
    expect(seenByC[2]!.name).toBe("a");
    expect(result).toMatchObject({ content: "c: turn 1", terminated: false });
    expect(result.messages.map((m) => m.content)).toEqual(["a: turn 1", "b: turn 1", "c: turn 1"]);
    expect(selected).toEqual(["a:order", "b:order", "c:order"]);
    expect(turns).toEqual([0]);
  });

  it("round-robin: rounds until a member terminates, the terminate response being the answer", async () => {
    mock.script({ model: "member-model" }, "a1", "b1", "c1", "a2", { toolCalls: [{ name: "terminate", arguments: { response: "Final answer." } }] });
    const { result, turns } = await run(team("round-robin"));
    expect(speakers()).toEqual(["a", "b", "c", "a", "b"]);
    expect(result).toMatchObject({ content: "Final answer.", terminated: true });
    expect(result.end).toEqual({ code: "Terminated", message: "team default/crew: agent b ended the team (terminate)" });
    expect(turns).toEqual([0, 1]);
  });

  it("round-robin: reaching maxTurns ends normally with the messages so far and the reason", async () => {
    const { result } = await run(team("round-robin", { members: [agent("a"), agent("b")], maxTurns: 2 }));
    expect(speakers()).toEqual(["a", "b", "a", "b"]);
    expect(result).toMatchObject({ content: "b: turn 2", terminated: false, end: { code: "MaxTurnsReached", message: "team default/crew stopped at maxTurns (2)" } });
    expect(result.messages).toHaveLength(4);
  });

  it("selector: exact match, then fallbacks that never repeat the previous member; the user input is in History from turn one", async () => {
    mock.script({ model: "selector-model" }, { text: "b", usage: { prompt_tokens: 50, completion_tokens: 1, total_tokens: 51 } }, "b.", "Let A answer this");
    const definition = team("selector", {
      members: [agent("a", "answers questions"), agent("b"), agent("c", "checks facts")],
      maxTurns: 3,
      selector: { provider: selectorModel },
    });
    const { result, selected, events, usage } = await run(definition);
    expect(selected).toEqual(["b:exact_match", "c:fallback", "a:fallback"]);
    expect(speakers()).toEqual(["b", "c", "a"]);
    expect(result).toMatchObject({ end: { code: "MaxTurnsReached" }, content: "a: turn 1" });

    const selectorRequests = mock.requests.filter((r) => r.model === "selector-model").map((r) => (r.body as { messages: { content: string }[] }).messages);
    const first = selectorRequests[0]!;
    expect(first[0]!.content).toContain("The following roles are available:\na: answers questions, b, c: checks facts.");
    expect(first[0]!.content).toContain("select the next role from a, b, c to play");
    expect(first[0]!.content).toContain("# user:\nearlier\n\n# user:\nWhat now?\n");
    expect(first[1]).toEqual({ role: "user", content: "Select the next participant to respond." });
    expect(selectorRequests[1]![0]!.content).toContain("# b:\nb: turn 1\n");

    // Selector calls are LLM calls like any other: events and usage, each counted once.
    const llmCalls = events.filter((e) => e.type === "llm.call.completed");
    expect(llmCalls).toHaveLength(6);
    expect(usage.totalTokens).toBe(llmCalls.reduce((sum, e) => sum + (e.type === "llm.call.completed" ? e.tokenUsage.totalTokens : 0), 0));
    expect(result.tokenUsage).toEqual(usage);
    expect(usage.totalTokens).toBeGreaterThan(51);
  });

  it("graph: starts at the first member, follows edges, ends at a member without an outgoing edge", async () => {
    const { result, selected } = await run(
      team("graph", {
        edges: [
          { from: "a", to: "c" },
          { from: "c", to: "b" },
        ],
      }),
    );
    expect(speakers()).toEqual(["a", "c", "b"]);
    expect(selected).toEqual(["a:graph", "c:graph", "b:graph"]);
    expect(result).toMatchObject({ content: "b: turn 1", terminated: false });
    expect(result.end).toEqual({ code: "GraphEnded", message: "team default/crew: the graph ended at b (no outgoing edge)" });
  });

  it("graph: a cycle stops at maxTurns steps, normally", async () => {
    const { result } = await run(
      team("graph", {
        edges: [
          { from: "a", to: "b" },
          { from: "b", to: "a" },
        ],
        maxTurns: 3,
      }),
    );
    expect(speakers()).toEqual(["a", "b", "a"]);
    expect(result.end?.code).toBe("MaxTurnsReached");
  });

  it("team of teams: an inner terminate ends only the inner team; its messages join the outer conversation", async () => {
    mock.script({ model: "member-model" }, { toolCalls: [{ name: "terminate", arguments: { response: "inner done" }, id: "t1" }] });
    const inner: TeamDefinition = { namespace: "default", name: "inner", strategy: "round-robin", members: [agent("a"), agent("b")] };
    const outer = team("sequential", { members: [teamMember(inner), agent("c")] });
    const { result, selected } = await run(outer);
    expect(speakers()).toEqual(["a", "c"]);
    expect(selected).toEqual(["inner:order", "a:order", "c:order"]);
    expect(result.messages.map((m) => m.role)).toEqual(["assistant", "tool", "assistant"]);
    expect(memberRequests()[1]!.slice(-2)).toEqual([
      { role: "tool", tool_call_id: "t1", content: "inner done" },
      { role: "user", content: "What now?" },
    ]);
    expect(result).toMatchObject({ content: "c: turn 1", terminated: false });
  });

  it("selector model with the terminate tool: offered terminate (after the terminate prompt), and its call ends the team", async () => {
    mock.script({ model: "selector-model" }, "c", { toolCalls: [{ name: "terminate", arguments: { response: "done" } }] });
    const { result, selected } = await run(team("selector", { maxTurns: 5, selector: { provider: selectorModel, terminate: { prompt: "Stop after c." } } }));
    expect(selected).toEqual(["c:exact_match"]);
    expect(result).toMatchObject({ terminated: true, content: "c: turn 1", end: { code: "Terminated", message: "team default/crew: the selector ended the team (terminate)" } });
    const selections = mock.requests.filter((r) => r.model === "selector-model").map((r) => r.body as { messages: { content: string }[]; tools?: { function: { name: string } }[] });
    expect(selections.map((b) => b.tools?.map((t) => t.function.name))).toEqual([["terminate"], ["terminate"]]);
    expect(selections[0]!.messages[0]!.content).toMatch(/Stop after c\.$/);
  });

  it("selector with graph edges: after the first pick only the previous member's successors; one is taken without asking, none goes back to the first", async () => {
    // a → {b, c}, c → b, b → (none)
    mock.script({ model: "selector-model" }, "c", "c");
    const edges = [
      { from: "a", to: "b" },
      { from: "a", to: "c" },
      { from: "c", to: "b" },
    ];
    const { selected } = await run(team("selector", { maxTurns: 4, edges, selector: { provider: selectorModel } }));
    expect(selected).toEqual(["c:exact_match", "b:graph", "a:graph", "c:exact_match"]);
    const selections = mock.requests.filter((r) => r.model === "selector-model").map((r) => (r.body as { messages: { content: string }[] }).messages[0]!.content);
    expect(selections).toHaveLength(2);
    expect(selections[0]).toContain("select the next role from a, b, c to play");
    // After a, only its successors are offered.
    expect(selections[1]).toContain("select the next role from b, c to play");
  });

  it("sequential with loops goes round in rounds until maxTurns; without loops it runs once", async () => {
    expect((await run(team("sequential", { loops: true, maxTurns: 2 }))).result.end?.code).toBe("MaxTurnsReached");
    expect(speakers()).toEqual(["a", "b", "c", "a", "b", "c"]);
    mock.reset();
    mock.setDefault("once", { model: "member-model" });
    expect((await run(team("sequential", { maxTurns: 2 }))).result.end).toBeUndefined();
    expect(speakers()).toEqual(["a", "b", "c"]);
  });

  it("fails naming the team and member when a member fails, and refuses a team without members", async () => {
    mock.script({ model: "member-model" }, "a1", { error: { status: 400, message: "bad request" } });
    const error = await run(team("sequential")).catch((e: unknown) => e);
    expect(isEngineError(error, "PROVIDER_BAD_REQUEST")).toBe(true);
    expect((error as Error).message).toMatch(/^team default\/crew: agent b: agent default\/b execution failed/);
    await expect(run(team("sequential", { members: [] }))).rejects.toThrow("team default/crew has no members configured");
  });

  it("stops between turns when the signal aborts", async () => {
    const controller = new AbortController();
    mock.setDefault(
      () => {
        controller.abort();
        return "ok";
      },
      { model: "member-model" },
    );
    const error = await runTeam({ team: team("round-robin"), input: "go", signal: controller.signal }).catch((e: unknown) => e);
    expect(isEngineError(error, "CANCELED")).toBe(true);
  });
});
