// Ollama /api/chat wire traffic, from https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion.
import { expect } from "vitest";
import type { WireFixtures } from "../conformance.js";

const MODEL = "llama3.2";
const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const weatherTool = {
  type: "function",
  function: { name: "weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } } } },
};
const final = (content: string, counts: { prompt_eval_count: number; eval_count: number }, extra: Record<string, unknown> = {}): unknown => ({
  model: MODEL,
  created_at: "2023-12-12T14:13:43.416799Z",
  message: { role: "assistant", content, ...extra },
  done: true,
  done_reason: "stop",
  total_duration: 5191566416,
  load_duration: 2154458,
  prompt_eval_count: counts.prompt_eval_count,
  prompt_eval_duration: 383809000,
  eval_count: counts.eval_count,
  eval_duration: 4799921000,
});
const calls = [{ function: { name: "weather", arguments: { city: "Oslo" } } }, { function: { name: "weather", arguments: { city: "Rome" } } }];

export const ollamaFixtures: WireFixtures = {
  path: () => "/api/chat",
  checkRequest(request) {
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.authorization).toBeUndefined();
  },
  text: {
    request: {
      model: MODEL,
      stream: false,
      messages: [
        { role: "system", content: "You are a concise geography assistant." },
        { role: "user", content: "What is the capital of France?" },
      ],
      options: { temperature: 0.2, num_predict: 256, top_p: 0.9, stop: ["END"] },
    },
    response: { json: final("The capital of France is Paris.", { prompt_eval_count: 21, eval_count: 8 }) },
  },
  toolCall: {
    request: { model: MODEL, stream: false, messages: [{ role: "user", content: "What is the weather in Oslo and in Rome?" }], tools: [weatherTool] },
    response: { json: final("", { prompt_eval_count: 180, eval_count: 40 }, { tool_calls: calls }) },
  },
  toolResult: {
    request: {
      model: MODEL,
      stream: false,
      messages: [
        { role: "user", content: "What is the weather in Oslo and in Rome?" },
        { role: "assistant", content: "", tool_calls: calls },
        { role: "tool", content: "Oslo: sunny, 21°C", tool_name: "weather" },
        { role: "tool", content: "Rome: rain, 14°C", tool_name: "weather" },
      ],
      tools: [weatherTool],
    },
    response: { json: final("Oslo is sunny and Rome is rainy.", { prompt_eval_count: 240, eval_count: 12 }) },
  },
  structured: {
    request: { model: MODEL, stream: false, messages: [{ role: "user", content: "Which city is the capital of France?" }], format: schema },
    response: { json: final('{"city":"Paris"}', { prompt_eval_count: 30, eval_count: 7 }) },
  },
  stream: {
    request: { model: MODEL, stream: true, messages: [{ role: "user", content: "Count to three." }] },
    response: {
      ndjson: [
        ...["One, ", "two, ", "three."].map((content) => ({ model: MODEL, created_at: "2023-08-04T08:52:19.385406455-07:00", message: { role: "assistant", content }, done: false })),
        final("", { prompt_eval_count: 10, eval_count: 6 }),
      ],
    },
  },
  streamToolCall: {
    request: { model: MODEL, stream: true, messages: [{ role: "user", content: "What is the weather in Oslo and in Rome?" }], tools: [weatherTool] },
    response: {
      ndjson: [{ model: MODEL, created_at: "2025-05-28T10:00:00.000Z", message: { role: "assistant", content: "", tool_calls: calls }, done: false }, final("", { prompt_eval_count: 180, eval_count: 40 })],
    },
  },
  badRequest: { response: { status: 400, json: { error: "invalid options: num_predict" } }, message: "HTTP 400: invalid options: num_predict" },
  // Ollama itself does not rate-limit; a proxy or Ollama's cloud in front of it does.
  rateLimited: { status: 429, headers: { "retry-after": "1" }, json: { error: "too many requests" } },
};
