// The suite every model provider passes against the mock model server (run from <provider>.test.ts).
import { type MockModel, type RecordedRequest, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isEngineError } from "../errors.js";
import { HttpPools } from "../http/pools.js";
import type { ChatMessage, ToolDefinition } from "../messages.js";
import type { ProviderOptions } from "./config.js";
import { type RecordedWireRequest, startWireServer, type WireResponse, type WireServer } from "./conformance/server.js";
import type { ModelProvider, ResponseFormat } from "./provider.js";

export interface ConformanceSubject {
  name: string;
  create(mock: MockModel, options: ProviderOptions & { properties?: Record<string, string>; apiKey?: string }): ModelProvider;
  /** Where the provider must send a chat request, relative to the mock's origin. */
  expectedPath: string;
  /** Provider-specific checks of a recorded request (auth headers, query string). */
  checkRequest?(request: RecordedRequest): void;
}

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 20 };
const user = (content: string): ChatMessage[] => [{ role: "user", content }];
const weatherTool: ToolDefinition = {
  type: "function",
  function: { name: "weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

export function providerConformance(subject: ConformanceSubject): void {
  describe(`${subject.name} provider conformance`, () => {
    let mock: MockModel;
    let pools: HttpPools;
    const provider = (options: Parameters<ConformanceSubject["create"]>[1] = {}): ModelProvider => subject.create(mock, { pools, retry: FAST_RETRY, ...options });

    beforeAll(async () => {
      mock = await startMockModel();
      pools = new HttpPools();
    });
    afterAll(async () => {
      await pools.close();
      await mock.close();
    });
    beforeEach(() => mock.reset());

    it("answers with text and reports usage", async () => {
      mock.script({ text: "Hello there", usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
      const result = await provider().chat({ messages: user("hi") });
      expect(result.message).toEqual({ role: "assistant", content: "Hello there" });
      expect(result.usage).toEqual({ promptTokens: 7, completionTokens: 3, totalTokens: 10 });
      expect(result.finishReason).toBe("stop");
      expect(mock.requests[0]?.path).toBe(subject.expectedPath);
      subject.checkRequest?.(mock.requests[0]!);
    });

    it("sends tools and returns tool calls in order (not streamed)", async () => {
      mock.script({
        toolCalls: [
          { name: "weather", arguments: { city: "Oslo" }, id: "c1" },
          { name: "weather", arguments: { city: "Rome" }, id: "c2" },
        ],
      });
      const result = await provider().chat({ messages: user("weather?"), tools: [weatherTool] });
      expect(result.finishReason).toBe("tool_calls");
      expect(result.message.tool_calls?.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
        ["c1", "weather", { city: "Oslo" }],
        ["c2", "weather", { city: "Rome" }],
      ]);
      expect((mock.requests[0]!.body as { tools?: unknown[] }).tools).toEqual([weatherTool]);
    });

    it("assembles streamed tool calls", async () => {
      mock.script({
        toolCalls: [
          { name: "weather", arguments: { city: "Ouagadougou, Burkina Faso" }, id: "c1" },
          { name: "noop", arguments: {}, id: "c2" },
        ],
      });
      const result = await provider().chat({ messages: user("weather?"), tools: [weatherTool], stream: true });
      expect(result.message.tool_calls).toEqual([
        { id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Ouagadougou, Burkina Faso"}' } },
        { id: "c2", type: "function", function: { name: "noop", arguments: "{}" } },
      ]);
      expect(result.message.content).toBeNull();
    });

    it("streams content deltas in order that concatenate to the answer, with usage", async () => {
      const text = "Streaming héllo wörld — ünïcode 🌍 arrives in order.";
      mock.script({ text, usage: { prompt_tokens: 11, completion_tokens: 13, total_tokens: 24 } });
      const deltas: string[] = [];
      const result = await provider().chat({ messages: user("stream"), stream: true, onDelta: (d) => deltas.push(d) });
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join("")).toBe(text);
      expect(result.message.content).toBe(text);
      expect(result.usage).toEqual({ promptTokens: 11, completionTokens: 13, totalTokens: 24 });
      const body = mock.requests[0]?.body as Record<string, unknown>;
      expect(body["stream"]).toBe(true);
      expect(body["stream_options"]).toEqual({ include_usage: true });
    });

    it("sends the model, defaults and coerced properties in the body", async () => {
      mock.script("ok");
      const properties = { temperature: "0.1", max_tokens: "100", top_p: "0.9", stop: "END", seed: "42", user: "test-user", logprobs: "true", metadata: '{"a":"b"}', presence_penalty: "" };
      await provider({ properties }).chat({ messages: user("hi"), responseFormat: { type: "json_object" } });
      const body = mock.requests[0]?.body as Record<string, unknown>;
      expect(body).toMatchObject({ n: 1, temperature: 0.1, max_tokens: 100, top_p: 0.9, stop: "END", seed: 42, user: "test-user", logprobs: true, metadata: { a: "b" }, response_format: { type: "json_object" } });
      expect(body).not.toHaveProperty("presence_penalty");
      expect(body).not.toHaveProperty("tools");
      expect(body["messages"]).toEqual(user("hi"));
    });

    it("retries a 429 and then succeeds", async () => {
      mock.script({ error: { status: 429, retryAfter: 0 } }, "after the rate limit");
      const result = await provider().chat({ messages: user("hi") });
      expect(result.message.content).toBe("after the rate limit");
      expect(mock.requests).toHaveLength(2);
    });

    it("fails clearly after N attempts of a persistent 500, naming model and endpoint", async () => {
      mock.setDefault({ error: { status: 500, message: "boom" } });
      const error = await provider({ retry: { ...FAST_RETRY, maxAttempts: 3 } })
        .chat({ messages: user("hi") })
        .catch((e: unknown) => e);
      expect(isEngineError(error, "PROVIDER_ERROR")).toBe(true);
      expect((error as Error).message).toMatch(/HTTP 500: boom \(gave up after 3 attempts\)/);
      expect((error as Error).message).toContain(mock.baseUrl);
      expect(mock.requests).toHaveLength(3);
    });

    it("does not retry a 401 and never prints the key", async () => {
      mock.script({ error: { status: 401 } });
      const error = await provider({ apiKey: "sk-secret-123" })
        .chat({ messages: user("hi") })
        .catch((e: unknown) => e);
      expect(isEngineError(error, "PROVIDER_UNAUTHORIZED")).toBe(true);
      expect((error as Error).message).not.toContain("sk-secret-123");
      expect(mock.requests).toHaveLength(1);
    });

    it("retries a connection reset before any content", async () => {
      mock.script({ resetConnection: true }, "recovered");
      const result = await provider().chat({ messages: user("hi") });
      expect(result.message.content).toBe("recovered");
    });

    it("rejects with CANCELED when aborted mid-stream", async () => {
      mock.script({ hang: true, afterChunks: 2 });
      const controller = new AbortController();
      const pending = provider().chat({
        messages: user("hi"),
        stream: true,
        signal: controller.signal,
        onDelta: () => controller.abort(),
      });
      const error = await pending.catch((e: unknown) => e);
      expect(isEngineError(error, "CANCELED")).toBe(true);
    });

    it("rejects with CANCELED when aborted while waiting for headers", async () => {
      mock.script({ hang: true });
      const controller = new AbortController();
      const pending = provider().chat({ messages: user("hi"), signal: controller.signal });
      await mock.waitForRequests(1);
      controller.abort();
      expect(isEngineError(await pending.catch((e: unknown) => e), "CANCELED")).toBe(true);
    });
  });
}

/** A recorded exchange: the request the provider must send (asserted field by field) and the vendor's answer. */
interface WireExchange {
  request: unknown;
  response: WireResponse;
}

/**
 * One vendor's recorded wire traffic for the shared scenarios below (`WIRE_SCENARIOS`), written from the vendor's API
 * reference. Every provider, whatever its wire format, must turn these into the same engine results.
 */
export interface WireFixtures {
  /** The request path for a call (streamed or not). */
  path(stream: boolean): string;
  /** Auth and version headers, query string. */
  checkRequest(request: RecordedWireRequest): void;
  text: WireExchange;
  toolCall: WireExchange;
  /** The second turn: the assistant's tool calls and both results sent back. */
  toolResult: WireExchange;
  /** `unsupported`: the API has no structured output; the provider must refuse with this message. */
  structured: WireExchange | { unsupported: RegExp };
  stream: WireExchange;
  /** The tool-call turn streamed: calls arrive in pieces (or whole, as the API sends them). */
  streamToolCall: WireExchange;
  /** A 400 answer and the vendor's message that must reach the error. */
  badRequest: { response: WireResponse; message: string };
  /** A 429 answer carrying `retry-after: 1`. */
  rateLimited: WireResponse;
}

export interface WireSubject {
  name: string;
  /** False while the provider does not yet redact a key echoed in an error body (openai/azure get it with the egress work). */
  redactsEchoedKeys?: boolean;
  fixtures: WireFixtures;
  create(baseUrl: string, options: ProviderOptions & { properties?: Record<string, string> }): ModelProvider;
}

/** The conversations every provider's fixtures record, and what the engine must get out of each. */
const WIRE_SCENARIOS = {
  text: {
    messages: [
      { role: "system", content: "You are a concise geography assistant." },
      { role: "user", content: "What is the capital of France?" },
    ] satisfies ChatMessage[],
    properties: { temperature: "0.2", max_tokens: "256", top_p: "0.9", stop: "END" },
    answer: "The capital of France is Paris.",
    usage: { promptTokens: 21, completionTokens: 8, totalTokens: 29 },
  },
  toolCall: {
    messages: [{ role: "user", content: "What is the weather in Oslo and in Rome?" }] satisfies ChatMessage[],
    tools: [weatherTool],
    calls: [
      ["weather", { city: "Oslo" }],
      ["weather", { city: "Rome" }],
    ],
  },
  toolResult: { results: ["Oslo: sunny, 21°C", "Rome: rain, 14°C"], answer: "Oslo is sunny and Rome is rainy." },
  structured: {
    messages: [{ role: "user", content: "Which city is the capital of France?" }] satisfies ChatMessage[],
    responseFormat: {
      type: "json_schema",
      json_schema: {
        name: "capital",
        schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
      },
    } satisfies ResponseFormat,
    answer: '{"city":"Paris"}',
  },
  stream: {
    messages: [{ role: "user", content: "Count to three." }] satisfies ChatMessage[],
    deltas: ["One, ", "two, ", "three."],
    usage: { promptTokens: 10, completionTokens: 6, totalTokens: 16 },
  },
} as const;

/** The suite every provider (openai and azure included) passes against its vendor's recorded wire fixtures. */
export function wireConformance(subject: WireSubject): void {
  const f = subject.fixtures;
  const s = WIRE_SCENARIOS;
  describe(`${subject.name} provider wire conformance`, () => {
    let server: WireServer;
    let pools: HttpPools;
    const provider = (options: Parameters<WireSubject["create"]>[1] = {}): ModelProvider => subject.create(server.url, { pools, retry: FAST_RETRY, ...options });
    const sent = (index = 0): RecordedWireRequest => server.requests[index]!;

    beforeAll(async () => {
      server = await startWireServer();
      pools = new HttpPools();
    });
    afterAll(async () => {
      await pools.close();
      await server.close();
    });
    beforeEach(() => server.reset());

    it("sends system prompt, user message and properties under the vendor's names, and answers with text and usage", async () => {
      server.script(f.text.response);
      const result = await provider({ properties: s.text.properties }).chat({ messages: [...s.text.messages] });
      expect(sent().method).toBe("POST");
      expect(sent().path).toBe(f.path(false));
      f.checkRequest(sent());
      expect(sent().body).toEqual(f.text.request);
      expect(result).toEqual({ message: { role: "assistant", content: s.text.answer }, usage: s.text.usage, finishReason: "stop" });
    });

    it("round-trips tool calls: tools sent, calls returned in order, results sent back", async () => {
      server.script(f.toolCall.response, f.toolResult.response);
      const first = await provider().chat({ messages: [...s.toolCall.messages], tools: [...s.toolCall.tools] });
      expect(sent().body).toEqual(f.toolCall.request);
      expect(first.finishReason).toBe("tool_calls");
      const calls = first.message.tool_calls ?? [];
      expect(calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)])).toEqual(s.toolCall.calls);
      expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
      const messages: ChatMessage[] = [...s.toolCall.messages, first.message, ...calls.map((call, i): ChatMessage => ({ role: "tool", tool_call_id: call.id, content: s.toolResult.results[i]! }))];
      const second = await provider().chat({ messages, tools: [...s.toolCall.tools] });
      expect(sent(1).body).toEqual(f.toolResult.request);
      expect(second.message).toEqual({ role: "assistant", content: s.toolResult.answer });
      expect(second.finishReason).toBe("stop");
    });

    it("asks for structured output with the schema, or refuses clearly where the API has none", async () => {
      const structured = f.structured;
      if ("unsupported" in structured) {
        const error = await provider()
          .chat({ messages: [...s.structured.messages], responseFormat: s.structured.responseFormat })
          .catch((e: unknown) => e);
        expect(isEngineError(error, "CONFIG_ERROR")).toBe(true);
        expect((error as Error).message).toMatch(structured.unsupported);
        expect(server.requests).toHaveLength(0);
        return;
      }
      server.script(structured.response);
      const result = await provider().chat({ messages: [...s.structured.messages], responseFormat: s.structured.responseFormat });
      expect(sent().body).toEqual(structured.request);
      expect(JSON.parse(result.message.content ?? "")).toEqual(JSON.parse(s.structured.answer));
    });

    it("streams content deltas in order into onDelta, with usage", async () => {
      server.script(f.stream.response);
      const deltas: string[] = [];
      const result = await provider().chat({ messages: [...s.stream.messages], stream: true, onDelta: (d) => deltas.push(d) });
      expect(sent().path).toBe(f.path(true));
      f.checkRequest(sent());
      expect(sent().body).toEqual(f.stream.request);
      expect(deltas).toEqual(s.stream.deltas);
      expect(result).toEqual({ message: { role: "assistant", content: s.stream.deltas.join("") }, usage: s.stream.usage, finishReason: "stop" });
    });

    it("assembles streamed tool calls in order", async () => {
      server.script(f.streamToolCall.response);
      const result = await provider().chat({ messages: [...s.toolCall.messages], tools: [...s.toolCall.tools], stream: true });
      expect(sent().path).toBe(f.path(true));
      expect(sent().body).toEqual(f.streamToolCall.request);
      expect(result.finishReason).toBe("tool_calls");
      const calls = result.message.tool_calls ?? [];
      expect(calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)])).toEqual(s.toolCall.calls);
      expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
    });

    it("rejects with CANCELED when the query is aborted mid-stream", async () => {
      server.script({ ...f.stream.response, stallBeforeLast: 2 });
      const controller = new AbortController();
      const deltas: string[] = [];
      const pending = provider().chat({
        messages: [...s.stream.messages],
        stream: true,
        signal: controller.signal,
        onDelta: (delta) => {
          deltas.push(delta);
          controller.abort();
        },
      });
      expect(isEngineError(await pending.catch((e: unknown) => e), "CANCELED")).toBe(true);
      expect(deltas[0]).toBe(s.stream.deltas[0]);
    });

    it("fails a stream cut short instead of passing it off as the whole answer", async () => {
      server.script({ ...f.stream.response, cutBeforeLast: 3 });
      const error = await provider()
        .chat({ messages: [...s.stream.messages], stream: true, onDelta: () => undefined })
        .catch((e: unknown) => e);
      expect(isEngineError(error, "PROVIDER_ERROR")).toBe(true);
      expect((error as Error).message).toContain(server.url);
    });

    it("retries a 429 after the server's Retry-After, then succeeds", async () => {
      server.script(f.rateLimited, f.text.response);
      const started = Date.now();
      const result = await provider({ retry: { ...FAST_RETRY, maxRetryAfterMs: 5_000 }, properties: s.text.properties }).chat({ messages: [...s.text.messages] });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(result.message.content).toBe(s.text.answer);
      expect(server.requests).toHaveLength(2);
      expect(sent(1).body).toEqual(sent(0).body);
    });

    it("surfaces a 400's message from the vendor without retrying", async () => {
      server.script(f.badRequest.response);
      const error = await provider()
        .chat({ messages: [...s.text.messages] })
        .catch((e: unknown) => e);
      expect(isEngineError(error, "PROVIDER_BAD_REQUEST")).toBe(true);
      expect((error as Error).message).toContain(f.badRequest.message);
      expect((error as Error).message).toContain(server.url);
      expect(server.requests).toHaveLength(1);
    });

    it.skipIf(subject.redactsEchoedKeys === false)("never puts a key the gateway echoes into the error", async () => {
      const headers = (request: RecordedWireRequest): string[] => ["authorization", "x-api-key", "api-key", "x-goog-api-key"].map((name) => request.headers[name]).filter((v): v is string => typeof v === "string");
      server.script({ status: 401, json: { error: { message: "unscripted" } } });
      await provider()
        .chat({ messages: [...s.text.messages] })
        .catch(() => undefined);
      const [credential] = headers(sent()).map((value) => value.replace(/^Bearer /, ""));
      if (!credential || credential.startsWith("AWS4-HMAC-SHA256")) return; // SigV4 sends a signature, never the secret
      server.reset();
      server.script({ status: 401, json: { error: { message: `invalid key ${credential}` } } });
      const error = await provider()
        .chat({ messages: [...s.text.messages] })
        .catch((e: unknown) => e);
      expect(isEngineError(error, "PROVIDER_UNAUTHORIZED")).toBe(true);
      expect((error as Error).message).not.toContain(credential);
    });

    it("gives up on a persistent 5xx after the attempts allowed", async () => {
      server.script({ status: 503, json: { error: { message: "overloaded" } } }, { status: 503, json: { error: { message: "overloaded" } } });
      const error = await provider({ retry: { ...FAST_RETRY, maxAttempts: 2 } })
        .chat({ messages: [...s.text.messages] })
        .catch((e: unknown) => e);
      expect(isEngineError(error, "PROVIDER_ERROR")).toBe(true);
      expect((error as Error).message).toMatch(/HTTP 503.*\(gave up after 2 attempts\)/);
      expect(server.requests).toHaveLength(2);
    });

    it("rejects with CANCELED when the query is aborted while waiting", async () => {
      server.script({ hang: true });
      const controller = new AbortController();
      const pending = provider().chat({ messages: [...s.text.messages], signal: controller.signal });
      await server.waitForRequests(1);
      controller.abort();
      expect(isEngineError(await pending.catch((e: unknown) => e), "CANCELED")).toBe(true);
    });
  });
}
