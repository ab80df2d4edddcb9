// The suite every model provider passes against the mock model server (run from <provider>.test.ts).
import { type MockModel, type RecordedRequest, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isEngineError } from "../errors.js";
import { HttpPools } from "../http/pools.js";
import type { ChatMessage, ToolDefinition } from "../messages.js";
import type { ProviderOptions } from "./config.js";
import type { ModelProvider } from "./provider.js";

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
    const provider = (options: Parameters<ConformanceSubject["create"]>[1] = {}): ModelProvider =>
      subject.create(mock, { pools, retry: FAST_RETRY, ...options });

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
      mock.script({ toolCalls: [{ name: "weather", arguments: { city: "Oslo" }, id: "c1" }, { name: "weather", arguments: { city: "Rome" }, id: "c2" }] });
      const result = await provider().chat({ messages: user("weather?"), tools: [weatherTool] });
      expect(result.finishReason).toBe("tool_calls");
      expect(result.message.tool_calls?.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
        ["c1", "weather", { city: "Oslo" }],
        ["c2", "weather", { city: "Rome" }],
      ]);
      expect((mock.requests[0]?.body as { tools?: unknown[] }).tools).toEqual([weatherTool]);
    });

    it("assembles streamed tool calls", async () => {
      mock.script({ toolCalls: [{ name: "weather", arguments: { city: "Ouagadougou, Burkina Faso" }, id: "c1" }, { name: "noop", arguments: {}, id: "c2" }] });
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
      const error = await provider({ retry: { ...FAST_RETRY, maxAttempts: 3 } }).chat({ messages: user("hi") }).catch((e: unknown) => e);
      expect(isEngineError(error, "PROVIDER_ERROR")).toBe(true);
      expect((error as Error).message).toMatch(/HTTP 500: boom \(gave up after 3 attempts\)/);
      expect((error as Error).message).toContain(mock.baseUrl);
      expect(mock.requests).toHaveLength(3);
    });

    it("does not retry a 401 and never prints the key", async () => {
      mock.script({ error: { status: 401 } });
      const error = await provider({ apiKey: "sk-secret-123" }).chat({ messages: user("hi") }).catch((e: unknown) => e);
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
