import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AgentSpec, ModelSpec, type QueryEvent, type QueryTarget, TeamSpec, ToolSpec } from "@ark/types";
import { type MockModel, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpPools } from "../http/pools.js";
import type { ResourceResolver } from "./resolver.js";
import { runTarget } from "./run-target.js";

const ns = "default";
let mock: MockModel;
let pools: HttpPools;
let api: Server;
let apiUrl: string;
const apiRequests: string[] = [];
let store: { agents: Map<string, unknown>; teams: Map<string, unknown>; models: Map<string, unknown>; tools: Map<string, unknown> };
const configMaps: Record<string, string> = { "filters/temperature": ".temperature", "defaults/unit": "celsius" };

const meta = (name: string) => ({ name, namespace: ns });
const byName = <T extends { metadata: { name: string } }>(...items: T[]) => new Map(items.map((i) => [i.metadata.name, i]));
const agent = (name: string, spec: object = {}) => ({ metadata: meta(name), spec: AgentSpec.parse({ prompt: `You are ${name}.`, ...spec }) });
const tool = (name: string, spec: object) => ({ metadata: meta(name), spec: ToolSpec.parse(spec) });

function resources() {
  const model = { metadata: meta("default"), spec: ModelSpec.parse({ model: { value: "m" }, type: "openai", config: { openai: { baseUrl: { value: mock.url }, apiKey: { value: "k" } } } }) };
  const weatherSchema = { type: "object", properties: { city: { type: "string" }, unit: { type: "string" } }, required: ["city", "unit"] };
  return {
    models: byName(model),
    agents: byName(
      agent("forecaster", {
        tools: [
          {
            type: "http",
            name: "local-weather",
            description: "Weather where the user is",
            partial: {
              name: "weather",
              parameters: [
                { name: "city", value: "{{.Query.city}}" },
                { name: "unit", valueFrom: { configMapKeyRef: { name: "defaults", key: "unit" } } },
              ],
            },
            functions: [{ name: "jq", valueFrom: { configMapKeyRef: { name: "filters", key: "temperature" } } }],
          },
          { type: "builtin", name: "terminate" },
        ],
      }),
      agent("boss", {
        tools: [
          { type: "agent", name: "ask-helper" },
          { type: "team", name: "ask-crew", description: "The crew drafts" },
        ],
      }),
      agent("helper"),
      agent("writer"),
      agent("recursive", { tools: [{ type: "agent", name: "ask-recursive" }] }),
    ),
    teams: byName({
      metadata: meta("crew"),
      spec: TeamSpec.parse({
        strategy: "sequential",
        members: [
          { name: "helper", type: "agent" },
          { name: "writer", type: "agent" },
        ],
      }),
    }),
    tools: byName(
      tool("weather", { type: "http", description: "Weather in a city", inputSchema: weatherSchema, http: { url: `${apiUrl}/weather?city={city}&unit={unit}` } }),
      tool("ask-helper", { type: "agent", description: "Ask the helper", agent: { name: "helper" } }),
      tool("ask-crew", { type: "team", team: { name: "crew" } }),
      tool("ask-recursive", { type: "agent", agent: { name: "recursive" } }),
    ),
  };
}

const resolver: ResourceResolver = {
  getAgent: async (_ns, name) => store.agents.get(name) as never,
  getTeam: async (_ns, name) => store.teams.get(name) as never,
  getModel: async (_ns, name) => store.models.get(name) as never,
  getTool: async (_ns, name) => store.tools.get(name) as never,
  resolveValue: async (source) => source.value ?? "",
  configValues: { getSecretValue: async () => undefined, getConfigMapValue: async (_ns, name, key) => configMaps[`${name}/${key}`] },
};

const providerOptions = {
  get pools() {
    return pools;
  },
  retry: { baseDelayMs: 1, maxDelayMs: 5 },
};

beforeAll(async () => {
  mock = await startMockModel();
  pools = new HttpPools();
  api = createServer((req, res) => {
    apiRequests.push(req.url ?? "");
    res.end(JSON.stringify({ temperature: 21, humidity: 40 }));
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

type Body = { messages: { role: string; content: string | null; name?: string }[]; tools?: { function: { name: string; description?: string; parameters: Record<string, unknown> } }[] };
const body = (i: number) => mock.requests[i]!.body as Body;

async function run(target: QueryTarget, input: string, queryParameters?: Record<string, string>) {
  const events: QueryEvent[] = [];
  const outcome = await runTarget({ namespace: ns, target, input, resolver, providerOptions, ...(queryParameters ? { queryParameters } : {}), emit: (e) => events.push(e) });
  return { outcome, events };
}

describe("agent tool entries of upstream's newer types", () => {
  it("partial: the model sees the entry's name and description without the hidden parameters, which reach the HTTP tool", async () => {
    mock.script({ toolCalls: [{ name: "local-weather", arguments: { city: "Paris" }, id: "w1" }] }, "21 degrees.");
    const { outcome } = await run({ type: "agent", name: "forecaster" }, "How warm is it?", { city: "Chicago" });
    expect(outcome).toMatchObject({ ok: true, content: "21 degrees." });
    const offered = body(0).tools!.map((t) => t.function);
    expect(offered.map((f) => f.name)).toEqual(["local-weather", "terminate"]);
    expect(offered[0]).toEqual({ name: "local-weather", description: "Weather where the user is", parameters: { type: "object", properties: {}, required: [] } });
    // The preset city wins over the one the model sent; the unit came from a ConfigMap.
    expect(apiRequests).toEqual(["/weather?city=Chicago&unit=celsius"]);
    // functions[].valueFrom: the jq expression read from a ConfigMap filtered the result.
    expect(body(1).messages.at(-1)).toMatchObject({ role: "tool", content: "21" });
  });

  it("an agent as a tool: a nested run on the call's input, its events under the call, its tokens counted once", async () => {
    mock.script(
      { toolCalls: [{ name: "ask-helper", arguments: { input: "What is 2+2?" }, id: "call-helper" }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
      { text: "4", usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } },
      { text: "The helper says 4.", usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 } },
    );
    const { outcome, events } = await run({ type: "agent", name: "boss" }, "Ask the helper what 2+2 is");
    expect(outcome).toMatchObject({ ok: true, content: "The helper says 4.", tokenUsage: { totalTokens: 44 } });
    const offered = body(0).tools!.map((t) => t.function);
    expect(offered[0]).toEqual({ name: "ask-helper", description: "Ask the helper", parameters: { type: "object", properties: { input: { type: "string", description: "The message to send." } }, required: ["input"] } });
    expect(offered[1]).toMatchObject({ name: "ask-crew", description: "The crew drafts" });
    // The helper got its own prompt and the call's input, no history.
    expect(body(1).messages).toEqual([
      { role: "system", content: "You are helper." },
      { role: "user", content: "What is 2+2?" },
    ]);
    expect(body(2).messages.at(-1)).toMatchObject({ role: "tool", content: "4" });
    const nested = events.filter((e) => e.parentToolCallId !== undefined);
    expect(nested.map((e) => [e.type, e.agent, e.parentToolCallId])).toEqual([
      ["llm.call.started", "default/helper", "call-helper"],
      ["llm.call.completed", "default/helper", "call-helper"],
    ]);
    expect(nested.every((e) => e.target?.name === "boss")).toBe(true);
    const call = events.filter((e) => e.type === "tool.call.completed");
    expect(call).toEqual([expect.objectContaining({ toolName: "ask-helper", toolCallId: "call-helper", result: "4", isError: false })]);
  });

  it("a team as a tool: the team runs on the input and its last message is the result", async () => {
    mock.script({ toolCalls: [{ name: "ask-crew", arguments: { input: "Draft a haiku" }, id: "call-crew" }] }, "helper draft", "writer polish", "Done: writer polish");
    const { outcome, events } = await run({ type: "agent", name: "boss" }, "Get the crew to draft a haiku");
    expect(outcome).toMatchObject({ ok: true, content: "Done: writer polish" });
    expect(body(1).messages.at(-1)).toEqual({ role: "user", content: "Draft a haiku" });
    expect(body(3).messages.at(-1)).toMatchObject({ role: "tool", content: "writer polish" });
    const nestedAgents = events.filter((e) => e.parentToolCallId === "call-crew" && e.type === "llm.call.completed").map((e) => e.agent);
    expect(nestedAgents).toEqual(["default/helper", "default/writer"]);
  });

  it("nesting stops at 5 levels with an error the innermost agent sees as its tool result", async () => {
    const call = (level: number) => ({ toolCalls: [{ name: "ask-recursive", arguments: { input: `level ${level + 1}` }, id: `c${level}` }] });
    mock.script(call(0), call(1), call(2), call(3), call(4), call(5), "d5", "d4", "d3", "d2", "d1", "d0");
    const { outcome, events } = await run({ type: "agent", name: "recursive" }, "go deep");
    expect(outcome).toMatchObject({ ok: true, content: "d0" });
    const refused = events.find((e) => e.type === "tool.call.completed" && e.isError);
    expect(refused).toMatchObject({ toolCallId: "c5", parentToolCallId: "c4" });
    expect(refused?.type === "tool.call.completed" && refused.error).toBe('tool default/ask-recursive: agent "recursive" not run: agents and teams called as tools nest at most 5 deep (do they call each other?)');
    expect(mock.requests).toHaveLength(12);
  });

  it("a tool entry naming a missing Tool fails the agent naming the entry", async () => {
    store.agents.set("lost", agent("lost", { tools: [{ type: "mcp", name: "nowhere" }] }));
    const { outcome } = await run({ type: "agent", name: "lost" }, "hi");
    expect(outcome).toMatchObject({ ok: false, message: 'agent default/lost: spec.tools[0]: tool "nowhere" not found in namespace default' });
    expect(mock.requests).toHaveLength(0);
  });
});
