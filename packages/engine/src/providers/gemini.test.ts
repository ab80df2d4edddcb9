import { describe, expect, it } from "vitest";
import { wireConformance } from "./conformance.js";
import { geminiFixtures } from "./conformance/gemini.js";
import { startWireServer } from "./conformance/server.js";
import { createGeminiProvider } from "./gemini.js";

wireConformance({
  name: "gemini",
  fixtures: geminiFixtures,
  create: (baseUrl, { properties, ...options }) => createGeminiProvider({ type: "gemini", model: "gemini-test", baseUrl, apiKey: "gm-test", properties }, options),
});

describe("gemini provider", () => {
  it("defaults to the Gemini API endpoint", () => {
    expect(createGeminiProvider({ type: "gemini", model: "g", baseUrl: "", apiKey: "k" }).description).toBe('model "g" at https://generativelanguage.googleapis.com');
  });
});

describe("gemini on Vertex AI", () => {
  it("calls Vertex's publisher path with the API key when baseUrl is a Vertex endpoint, through the injected fetch", async () => {
    const seen: { url: string; key: string | null }[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      seen.push({ url: String(input), key: new Headers(init?.headers).get("x-goog-api-key") });
      const body = { candidates: [{ content: { role: "model", parts: [{ text: "hi" }] }, finishReason: "STOP" }] };
      return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    };
    const provider = createGeminiProvider({ type: "gemini", model: "gemini-2.5-flash", baseUrl: "https://us-central1-aiplatform.googleapis.com", apiKey: "vx-key" }, { fetch });
    expect((await provider.chat({ messages: [{ role: "user", content: "hi" }] })).message.content).toBe("hi");
    expect(seen).toEqual([{ url: "https://us-central1-aiplatform.googleapis.com/v1beta1/publishers/google/models/gemini-2.5-flash:generateContent", key: "vx-key" }]);
  });
});

describe("gemini rate limits", () => {
  it("waits the RetryInfo delay a 429 body gives when there is no Retry-After header", async () => {
    const server = await startWireServer();
    try {
      const retryInfo = { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1s" };
      server.script(
        { status: 429, json: { error: { code: 429, message: "You exceeded your current quota.", status: "RESOURCE_EXHAUSTED", details: [retryInfo] } } },
        { json: { candidates: [{ content: { role: "model", parts: [{ text: "ok" }] }, finishReason: "STOP" }] } },
      );
      const provider = createGeminiProvider({ type: "gemini", model: "g", baseUrl: server.url, apiKey: "k" }, { retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 } });
      const started = Date.now();
      expect((await provider.chat({ messages: [{ role: "user", content: "hi" }] })).message.content).toBe("ok");
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await server.close();
    }
  });
});

describe("gemini function calls", () => {
  it("sends a call's thoughtSignature back with it on the next turn (Gemini 3 requires it)", async () => {
    const server = await startWireServer();
    try {
      const part = { functionCall: { name: "weather", args: { city: "Oslo" } }, thoughtSignature: "c2lnbmF0dXJl" };
      server.script(
        { json: { candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP" }] } },
        { json: { candidates: [{ content: { role: "model", parts: [{ text: "Sunny." }] }, finishReason: "STOP" }] } },
      );
      const provider = createGeminiProvider({ type: "gemini", model: "gemini-3-pro", baseUrl: server.url, apiKey: "k" });
      const first = await provider.chat({ messages: [{ role: "user", content: "Weather in Oslo?" }] });
      const call = first.message.tool_calls![0]!;
      await provider.chat({
        messages: [{ role: "user", content: "Weather in Oslo?" }, first.message, { role: "tool", tool_call_id: call.id, content: "sunny" }],
      });
      const contents = (server.requests[1]!.body as { contents: { parts: unknown[] }[] }).contents;
      expect(contents[1]!.parts).toEqual([part]);
    } finally {
      await server.close();
    }
  });
});
