import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AgentSpec, type LabelSelector, ModelSpec, type QueryEvent, type QueryTarget, TeamSpec, ToolSpec } from "@ark/types";
import { type MockModel, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { TokenUsageCollector } from "../events/token-usage-collector.js";
import { HttpPools } from "../http/pools.js";
import type { SessionMemory } from "../memory/session-memory.js";
import type { ChatMessage } from "../messages.js";
import { McpClientPool } from "../tools/mcp/pool.js";
import { startTestMcpServer } from "../tools/mcp/test-mcp-server.js";
import type { ResourceResolver } from "./resolver.js";
import { runTarget } from "./run-target.js";
import { runTargets } from "./run-targets.js";
import { queryTargetField, resolveQueryTargets } from "./select-targets.js";
import { findTeamCycle } from "./team-cycle.js";
import { toolArguments } from "./tool-target.js";

let mock: MockModel;
let pools: HttpPools;
let api: Server;
let apiUrl: string;
const ns = "default";
const geocoding = { results: [{ name: "Chicago", latitude: 41.85, longitude: -87.65, elevation: 180 }] };

const meta = (name: string, labels?: Record<string, string>) => ({ name, namespace: ns, ...(labels ? { labels } : {}) });
let store: { agents: Map<string, unknown>; teams: Map<string, unknown>; models: Map<string, unknown>; tools: Map<string, unknown> };

function resources() {
  const model = (name: string) => ({ metadata: meta(name), spec: ModelSpec.parse({ model: { value: `${name}-model` }, type: "openai", config: { openai: { baseUrl: { value: mock.url }, apiKey: { value: "k" } } } }) });
  const agent = (name: string, spec: object = {}) => ({ metadata: meta(name, { tier: "gold" }), spec: AgentSpec.parse({ prompt: `You are ${name}.`, ...spec }) });
  const team = (name: string, spec: object) => ({ metadata: meta(name), spec: TeamSpec.parse(spec) });
  const tool = (name: string, spec: object) => ({ metadata: meta(name), spec: ToolSpec.parse(spec) });
  const byName = <T extends { metadata: { name: string } }>(...items: T[]) => new Map(items.map((i) => [i.metadata.name, i]));
  return {
    models: byName(model("default"), model("judge")),
    agents: byName(agent("a", { description: "answers" }), agent("b"), agent("geo", { tools: [{ type: "custom", name: "weather", functions: [{ name: "jq", value: ".results[0] | {latitude, longitude}" }] }] })),
    teams: byName(
      team("crew", {
        strategy: "sequential",
        members: [
          { name: "a", type: "agent" },
          { name: "b", type: "agent" },
        ],
      }),
      team("outer", {
        strategy: "sequential",
        members: [
          { name: "crew", type: "team" },
          { name: "a", type: "agent" },
        ],
      }),
      team("picky", {
        strategy: "selector",
        maxTurns: 1,
        selector: { model: "judge" },
        members: [
          { name: "a", type: "agent" },
          { name: "b", type: "agent" },
        ],
      }),
      team("broken", {
        strategy: "sequential",
        members: [
          { name: "a", type: "agent" },
          { name: "ghost", type: "agent" },
        ],
      }),
      team("loop1", { strategy: "sequential", members: [{ name: "loop2", type: "team" }] }),
      team("loop2", {
        strategy: "sequential",
        members: [
          { name: "a", type: "agent" },
          { name: "loop1", type: "team" },
        ],
      }),
    ),
    tools: byName(
      tool("weather", { type: "http", http: { url: `${apiUrl}/geo?name={city}`, headers: [{ name: "x-key", value: { valueFrom: { secretKeyRef: { name: "api", key: "key" } } } }] } }),
      tool("missing-page", { type: "http", http: { url: `${apiUrl}/nothing` } }),
      tool("echo", { type: "mcp", mcp: { mcpServerRef: { name: "tester" }, toolName: "echo" } }),
    ),
  };
}

const resolver: ResourceResolver = {
  getAgent: async (_ns, name) => store.agents.get(name) as never,
  getTeam: async (_ns, name) => store.teams.get(name) as never,
  getModel: async (_ns, name) => store.models.get(name) as never,
  getTool: async (_ns, name) => store.tools.get(name) as never,
  resolveValue: async (source) => source.value ?? `secret:${source.valueFrom?.secretKeyRef?.name}/${source.valueFrom?.secretKeyRef?.key}`,
  configValues: { getSecretValue: async () => undefined, getConfigMapValue: async () => undefined },
  listNames: async (kind, _ns, selector: LabelSelector) => {
    const all = { agent: store.agents, team: store.teams, model: store.models, tool: store.tools }[kind];
    const wanted = Object.entries(selector.matchLabels ?? {});
    return [...all.values()].flatMap((r) => {
      const { name, labels } = (r as { metadata: { name: string; labels?: Record<string, string> } }).metadata;
      return wanted.every(([k, v]) => labels?.[k] === v) ? [name] : [];
    });
  },
};

const providerOptions = {
  get pools() {
    return pools;
  },
  retry: { baseDelayMs: 1, maxDelayMs: 5 },
};
const apiRequests: { url: string; key: string | undefined }[] = [];
beforeAll(async () => {
  mock = await startMockModel();
  pools = new HttpPools();
  api = createServer((req, res) => {
    apiRequests.push({ url: req.url ?? "", key: req.headers["x-key"] as string | undefined });
    if (req.url?.startsWith("/geo")) return res.end(JSON.stringify(geocoding));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await pools.close();
  await mock.close();
  api.closeAllConnections();
  await new Promise((resolve) => api.close(resolve));
});
beforeEach(() => {
  mock.reset();
  apiRequests.length = 0;
  store = resources();
});

type Body = { messages: { role: string; content: string }[]; tools?: unknown[] };
const body = (i: number) => mock.requests[i]!.body as Body;

async function run(target: QueryTarget, input = "Weather in Chicago?") {
  const events: QueryEvent[] = [];
  const outcome = await runTarget({
    namespace: ns,
    target,
    input,
    resolver,
    providerOptions,
    history: [
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ],
    emit: (e) => events.push(e),
  });
  return { outcome, events };
}

describe("query targets", () => {
  it("model: history and the input, no system prompt, no tools; the reply is the answer", async () => {
    mock.script({ text: "Sunny.", usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } });
    const { outcome, events } = await run({ type: "model", name: "default" });
    expect(body(0).messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "user", content: "Weather in Chicago?" },
    ]);
    expect(body(0).tools).toBeUndefined();
    expect(outcome).toMatchObject({ ok: true, content: "Sunny.", tokenUsage: { totalTokens: 9 } });
    expect(events.map((e) => e.type)).toEqual(["target.started", "llm.call.started", "llm.call.completed", "target.completed"]);
    expect(events.every((e) => e.target?.name === "default")).toBe(true);
  });

  it("tool: JSON input as arguments, other input as {input}; an error status fails the target", async () => {
    expect(toolArguments('{"city":"Oslo"}')).toEqual({ city: "Oslo" });
    expect(toolArguments("Oslo")).toEqual({ input: "Oslo" });
    expect(toolArguments("[1]")).toEqual({ input: "[1]" });
    const { outcome, events } = await run({ type: "tool", name: "weather" }, '{"city":"Chicago IL"}');
    expect(outcome).toMatchObject({ ok: true, content: JSON.stringify(geocoding) });
    expect(apiRequests).toEqual([{ url: "/geo?name=Chicago+IL", key: "secret:api/key" }]);
    expect(events.map((e) => e.type)).toEqual(["target.started", "tool.call.started", "tool.call.completed", "target.completed"]);
    const failed = await run({ type: "tool", name: "missing-page" });
    expect(failed.outcome).toMatchObject({ ok: false, code: "TOOL_FAILED", message: "tool default/missing-page: HTTP error 404: Not Found" });
  });

  it("tool: an mcp Tool through the worker's pool and the resolver's MCPServer", async () => {
    const server = await startTestMcpServer("http");
    const mcpPool = new McpClientPool();
    try {
      const asked: (Record<string, string> | undefined)[] = [];
      const withMcp: ResourceResolver = {
        ...resolver,
        getMcpServer: async (_ns, name, queryParameters) => {
          asked.push(queryParameters);
          return name === "tester" ? { connection: { url: server.url } } : undefined;
        },
      };
      const outcome = await runTarget({ namespace: ns, target: { type: "tool", name: "echo" }, input: '{"text":"hi"}', resolver: withMcp, mcpPool, queryParameters: { user: "alice" } });
      expect(outcome).toMatchObject({ ok: true, content: "echo: hi" });
      // The query's parameters reach the MCPServer's headers (docs/upstream-compat.md §1.5).
      expect(asked).toEqual([{ user: "alice" }]);
      const without = await runTarget({ namespace: ns, target: { type: "tool", name: "echo" }, input: "hi", resolver });
      expect(without).toMatchObject({ ok: false, code: "CONFIG_ERROR", message: "tool default/echo: this worker has no MCP client pool" });
    } finally {
      await mcpPool.closeAll();
      await server.stop();
    }
  });

  it("agent: http tool with a jq function, the filtered result going back to the model", async () => {
    mock.script({ toolCalls: [{ name: "weather", arguments: { city: "Chicago" }, id: "w1" }] }, "It is 41.85, -87.65.");
    const { outcome } = await run({ type: "agent", name: "geo" });
    expect(body(0).messages[0]).toEqual({ role: "system", content: "You are geo." });
    expect(body(1).messages.at(-1)).toEqual({ role: "tool", tool_call_id: "w1", content: '{"latitude":41.85,"longitude":-87.65}' });
    expect(outcome).toMatchObject({ ok: true, content: "It is 41.85, -87.65." });
    if (outcome.ok) expect(outcome.messages.map((m) => m.role)).toEqual(["assistant", "tool", "assistant"]);
  });

  it("team: members built from resources, teams of teams, every member's messages, the last as the answer", async () => {
    mock.setDefault((req) => `${String(req.messages[0]?.content).slice(8, -1)} says hi`);
    const { outcome } = await run({ type: "team", name: "outer" });
    expect(outcome).toMatchObject({ ok: true, content: "a says hi" });
    if (outcome.ok) expect(outcome.messages.map((m) => m.content)).toEqual(["a says hi", "b says hi", "a says hi"]);
  });

  it("team: maxTurns is a normal end with its reason; selector calls count once in the usage", async () => {
    mock.script({ model: "judge-model" }, { text: "b", usage: { prompt_tokens: 30, completion_tokens: 1, total_tokens: 31 } });
    mock.script({ model: "default-model" }, { text: "b here", usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } });
    const events: QueryEvent[] = [];
    const usage = new TokenUsageCollector((e) => events.push(e));
    const outcome = await runTarget({ namespace: ns, target: { type: "team", name: "picky" }, input: "go", resolver, providerOptions, emit: usage.sink });
    expect(outcome).toMatchObject({ ok: true, content: "b here", end: { code: "MaxTurnsReached" }, tokenUsage: { promptTokens: 40, completionTokens: 3, totalTokens: 43 } });
    expect(usage.usage.totalTokens).toBe(43);
    expect(events.find((e) => e.type === "target.completed")).toMatchObject({ reason: "team default/picky stopped at maxTurns (1)", endReason: "MaxTurnsReached", tokenUsage: { totalTokens: 43 } });
    expect(events.find((e) => e.type === "team.member.selected")).toMatchObject({ member: { name: "b" }, reason: "exact_match", selectorAnswer: "b" });
  });

  it("team: a missing member or a cycle of teams fails before any model call", async () => {
    const broken = await run({ type: "team", name: "broken" });
    expect(broken.outcome).toMatchObject({ ok: false, code: "CONFIG_ERROR", message: 'team default/broken: spec.members[1]: agent "ghost" not found in namespace default' });
    const cycle = await run({ type: "team", name: "loop1" });
    expect(cycle.outcome).toMatchObject({ ok: false, message: "team cycle: loop1 → loop2 → loop1" });
    expect(mock.requests).toHaveLength(0);
    expect(await findTeamCycle(ns, "loop1", resolver.getTeam)).toEqual(["loop1", "loop2", "loop1"]);
    expect(await findTeamCycle(ns, "outer", resolver.getTeam)).toBeUndefined();
  });

  it("several targets run concurrently; a failing one keeps the others' responses, named by its field", async () => {
    // Each call answers only once both are in flight: run one after the other, this would never finish.
    mock.setDefault(async () => {
      await mock.waitForRequests(2);
      return "answer";
    });
    const result = await runTargets({
      namespace: ns,
      targets: [
        { type: "agent", name: "a" },
        { type: "model", name: "default" },
        { type: "agent", name: "nobody" },
      ],
      fieldOf: (index) =>
        queryTargetField(
          {
            targets: [
              { type: "agent", name: "a" },
              { type: "model", name: "default" },
              { type: "agent", name: "nobody" },
            ],
          },
          index,
        ),
      input: "go",
      resolver,
      providerOptions,
    });
    expect(result.ok).toBe(false);
    expect(result.outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(result.responses).toHaveLength(2);
    expect(result.responses.map((r) => r.target.type).sort()).toEqual(["agent", "model"]);
    expect(result.errors).toEqual([{ target: { type: "agent", name: "nobody" }, message: 'spec.targets[2]: agent "nobody" not found in namespace default' }]);
  });

  it("spec.selector adds matching Agents, Teams, Models and Tools after the explicit targets", async () => {
    const targets = await resolveQueryTargets({ targets: [{ type: "team", name: "crew" }], selector: { matchLabels: { tier: "gold" } } }, ns, resolver);
    expect(targets).toEqual([
      { type: "team", name: "crew" },
      { type: "agent", name: "a" },
      { type: "agent", name: "b" },
      { type: "agent", name: "geo" },
    ]);
    expect(await resolveQueryTargets({ target: { type: "model", name: "judge" } }, ns, {})).toEqual([{ type: "model", name: "judge" }]);
  });
});

/** A session kept in this process, recording what the targets read and wrote. */
function sessionMemory(stored: ChatMessage[] = [], failure?: string) {
  const calls: string[] = [];
  const memory: SessionMemory = {
    memory: "default/chat",
    sessionId: "s-1",
    async load() {
      calls.push("load");
      if (failure) throw new EngineError("MEMORY_ERROR", failure);
      return [...stored];
    },
    async append(messages) {
      calls.push("append");
      stored.push(...messages);
    },
  };
  return { memory, stored, calls };
}

describe("query targets with memory (docs/upstream-compat.md §9, docs/architecture.md §7.5)", () => {
  const earlier: ChatMessage[] = [
    { role: "user", content: "My name is Ada." },
    { role: "assistant", content: "Hello Ada." },
  ];

  it("agent: reads the session before the model call and appends the user message and every response after", async () => {
    mock.script({ toolCalls: [{ name: "weather", arguments: { city: "Chicago" }, id: "w1" }] }, "Mild, Ada.");
    const { memory, stored } = sessionMemory([...earlier]);
    const events: QueryEvent[] = [];
    const outcome = await runTarget({ namespace: ns, target: { type: "agent", name: "geo" }, input: "Weather?", resolver, providerOptions, memory, emit: (e) => events.push(e) });
    expect(outcome).toMatchObject({ ok: true, content: "Mild, Ada." });
    expect(body(0).messages.slice(1)).toEqual([...earlier, { role: "user", content: "Weather?" }]);
    expect(stored.slice(2).map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(stored[2]).toEqual({ role: "user", content: "Weather?" });
    expect(events.filter((e) => e.type.startsWith("memory."))).toMatchObject([
      { type: "memory.read", memory: "default/chat", sessionId: "s-1", messageCount: 2, target: { type: "agent", name: "geo" } },
      { type: "memory.written", memory: "default/chat", sessionId: "s-1", messageCount: 4 },
    ]);
  });

  it("model: [user, assistant]; team: the user message and every member's message", async () => {
    mock.setDefault((req) => `${String(req.messages[0]?.content).slice(8, -1)} says hi`);
    const model = sessionMemory([...earlier]);
    mock.script("Hi again.");
    await runTarget({ namespace: ns, target: { type: "model", name: "default" }, input: "Again?", resolver, providerOptions, memory: model.memory });
    expect(model.stored.slice(2)).toEqual([
      { role: "user", content: "Again?" },
      { role: "assistant", content: "Hi again." },
    ]);

    const team = sessionMemory();
    await runTarget({ namespace: ns, target: { type: "team", name: "crew" }, input: "go", resolver, providerOptions, memory: team.memory });
    expect(team.stored.map((m) => [m.role, m.content])).toEqual([
      ["user", "go"],
      ["assistant", "a says hi"],
      ["assistant", "b says hi"],
    ]);
  });

  it("tool targets neither read nor write; a failed target writes nothing; a memory failure fails the target", async () => {
    const tool = sessionMemory();
    await runTarget({ namespace: ns, target: { type: "tool", name: "weather" }, input: '{"city":"Oslo"}', resolver, memory: tool.memory });
    expect(tool.calls).toEqual([]);

    const failed = sessionMemory();
    const outcome = await runTarget({ namespace: ns, target: { type: "agent", name: "nobody" }, input: "hi", resolver, memory: failed.memory });
    expect(outcome.ok).toBe(false);
    expect(failed.stored).toEqual([]);

    const down = sessionMemory([], "memory default/chat: GET http://x/messages/s-1 failed: connect ECONNREFUSED");
    const refused = await runTarget({ namespace: ns, target: { type: "agent", name: "a" }, input: "hi", resolver, providerOptions, memory: down.memory });
    expect(refused).toMatchObject({ ok: false, code: "MEMORY_ERROR", message: "memory default/chat: GET http://x/messages/s-1 failed: connect ECONNREFUSED" });
    expect(mock.requests).toHaveLength(0);
  });
});
