import type { QueryEvent } from "@ark/types";
import { type MockModel, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isEngineError } from "../errors.js";
import { HttpPools } from "../http/pools.js";
import type { ChatMessage } from "../messages.js";
import { createOpenAIProvider } from "../providers/openai.js";
import type { ModelProvider } from "../providers/provider.js";
import { noopTool, terminateTool } from "../tools/builtin.js";
import { ToolRegistry } from "../tools/registry.js";
import type { Tool } from "../tools/tool.js";
import { type AgentDefinition, runAgent, type RunAgentOptions } from "./loop.js";

let mock: MockModel;
let pools: HttpPools;
let provider: ModelProvider;
const agent: AgentDefinition = { namespace: "default", name: "helper", prompt: "You help." };

const failingTool: Tool = {
  kind: "builtin",
  definition: { type: "function", function: { name: "flaky", parameters: { type: "object", properties: {} } } },
  execute: () => Promise.reject(new Error("upstream said 503")),
};

function run(options: Partial<RunAgentOptions> = {}) {
  return runAgent({ agent, provider, input: "hello", tools: new ToolRegistry([noopTool, terminateTool, failingTool]), ...options });
}

function body(index: number): { messages: ChatMessage[]; response_format?: unknown; tools?: unknown[] } {
  return mock.requests[index]!.body as never;
}

beforeAll(async () => {
  mock = await startMockModel();
  pools = new HttpPools();
  provider = createOpenAIProvider({ type: "openai", model: "gpt-test", baseUrl: mock.url, apiKey: "k" }, { pools, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
});
afterAll(async () => {
  await pools.close();
  await mock.close();
});
beforeEach(() => mock.reset());

describe("runAgent", () => {
  it("renders the prompt, places history, runs tool calls in order and feeds results back", async () => {
    mock.script(
      {
        toolCalls: [
          { name: "noop", arguments: { message: "first" }, id: "c1" },
          { name: "noop", arguments: { message: "second" }, id: "c2" },
        ],
      },
      "done",
    );
    const history: ChatMessage[] = [
      { role: "user", content: "earlier" },
      { role: "assistant", content: "sure" },
    ];
    const result = await run({ agent: { ...agent, prompt: "Be {{.tone}}.", parameters: { tone: "brief" } }, history });

    expect(body(0).messages).toEqual([{ role: "system", content: "Be brief." }, ...history, { role: "user", content: "hello" }]);
    expect(body(0).tools?.length).toBe(3);
    expect(body(1).messages.slice(-2)).toEqual([
      { role: "tool", tool_call_id: "c1", content: "map[message:first]" },
      { role: "tool", tool_call_id: "c2", content: "map[message:second]" },
    ]);
    expect(result.content).toBe("done");
    expect(result.terminated).toBe(false);
    expect(result.messages.map((m) => m.role)).toEqual(["assistant", "tool", "tool", "assistant"]);
    expect(result.messages[0]).toMatchObject({ name: "helper", tool_calls: [{ id: "c1" }, { id: "c2" }] });
  });

  it("returns an unknown tool or a failing tool to the model as an error result and continues", async () => {
    mock.script(
      {
        toolCalls: [
          { name: "missing", arguments: {}, id: "c1" },
          { name: "flaky", arguments: {}, id: "c2" },
        ],
      },
      "recovered",
    );
    const events: QueryEvent[] = [];
    const result = await run({ emit: (e) => events.push(e) });
    expect(body(1).messages.slice(-2)).toEqual([
      { role: "tool", tool_call_id: "c1", content: "Error: tool missing not found" },
      { role: "tool", tool_call_id: "c2", content: "Error: upstream said 503" },
    ]);
    expect(result.content).toBe("recovered");
    const completed = events.filter((e) => e.type === "tool.call.completed");
    expect(completed.map((e) => [e.toolName, e.isError])).toEqual([
      ["missing", true],
      ["flaky", true],
    ]);
  });

  it("fails with MAX_ITERATIONS naming the agent when the model never stops calling tools", async () => {
    mock.setDefault({ toolCalls: [{ name: "noop", arguments: {} }] });
    const error = await run({ agent: { ...agent, maxIterations: 3 } }).catch((e: unknown) => e);
    expect(isEngineError(error, "MAX_ITERATIONS")).toBe(true);
    expect((error as Error).message).toContain("agent default/helper");
    expect(mock.requests).toHaveLength(3);
  });

  it("ends on terminate with its response as the answer, answering skipped calls", async () => {
    mock.script({
      toolCalls: [
        { name: "terminate", arguments: { response: "All done." }, id: "t1" },
        { name: "noop", arguments: {}, id: "n1" },
      ],
    });
    const result = await run();
    expect(result).toMatchObject({ content: "All done.", terminated: true });
    expect(result.messages.slice(1)).toEqual([
      { role: "tool", tool_call_id: "t1", content: "All done." },
      { role: "tool", tool_call_id: "n1", content: "Error: not run: the agent terminated" },
    ]);
    expect(mock.requests).toHaveLength(1);
  });

  it("sends outputSchema as response_format and accepts a JSON answer", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    mock.script({ json: { city: "Oslo" } });
    const result = await run({ agent: { ...agent, name: "weather.bot", outputSchema: schema } });
    expect(JSON.parse(result.content)).toEqual({ city: "Oslo" });
    expect(body(0).response_format).toEqual({ type: "json_schema", json_schema: { name: "namespace-default-agent-weather_bot", schema } });
  });

  it("fails with INVALID_OUTPUT when an outputSchema agent answers with something other than JSON", async () => {
    mock.script("Sure! The city is Oslo.");
    const error = await run({ agent: { ...agent, outputSchema: { type: "object" } } }).catch((e: unknown) => e);
    expect(isEngineError(error, "INVALID_OUTPUT")).toBe(true);
    expect((error as Error).message).toMatch(/agent default\/helper: the answer is not valid JSON for spec.outputSchema/);
  });

  it("emits every step in order, streams content deltas, and sums usage of each call once", async () => {
    mock.script(
      { toolCalls: [{ name: "noop", arguments: {}, id: "c1" }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
      { text: "Hello streaming world", usage: { prompt_tokens: 20, completion_tokens: 7, total_tokens: 27 } },
    );
    const events: QueryEvent[] = [];
    const target = { type: "agent" as const, name: "helper" };
    const result = await run({ stream: true, emit: (e) => events.push(e), target });

    const types = events.map((e) => e.type).filter((t, i, all) => t !== "content.delta" || all[i - 1] !== "content.delta");
    expect(types).toEqual(["llm.call.started", "llm.call.completed", "tool.call.started", "tool.call.completed", "llm.call.started", "content.delta", "llm.call.completed"]);
    const deltas = events.flatMap((e) => (e.type === "content.delta" ? [e.chunk] : []));
    expect(deltas.join("")).toBe("Hello streaming world");
    expect(events.every((e) => e.agent === "default/helper" && e.target?.name === "helper" && typeof e.time === "string")).toBe(true);
    const usages = events.flatMap((e) => (e.type === "llm.call.completed" ? [e.tokenUsage] : []));
    expect(usages).toEqual([
      { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
      { promptTokens: 20, completionTokens: 7, totalTokens: 27 },
    ]);
    expect(result.tokenUsage).toEqual({ promptTokens: 30, completionTokens: 12, totalTokens: 42 });
  });

  it("stops an in-flight model call on abort with CANCELED and reports the failed call", async () => {
    mock.script({ hang: true });
    const controller = new AbortController();
    const events: QueryEvent[] = [];
    const pending = run({ signal: controller.signal, emit: (e) => events.push(e) });
    await mock.waitForRequests(1);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(isEngineError(error, "CANCELED")).toBe(true);
    expect(events.map((e) => e.type)).toEqual(["llm.call.started", "llm.call.failed"]);
  });

  it("reports TIMEOUT when the caller's deadline signal fires", async () => {
    mock.script({ hang: true });
    const error = await run({ signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(isEngineError(error, "TIMEOUT")).toBe(true);
    expect((error as Error).message).toContain("agent default/helper");
  });

  it("fails with the provider's error, naming the agent, after bounded retries", async () => {
    mock.setDefault({ error: { status: 503 } });
    const error = await run().catch((e: unknown) => e);
    expect(isEngineError(error, "PROVIDER_ERROR")).toBe(true);
    expect((error as Error).message).toMatch(/^agent default\/helper execution failed: model "gpt-test" at .*HTTP 503.*gave up after 3 attempts/);
  });
});
