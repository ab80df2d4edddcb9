// Anthropic Messages API wire traffic, from https://docs.anthropic.com/en/api/messages and .../messages-streaming.
import { expect } from "vitest";
import type { WireFixtures } from "../conformance.js";

const MODEL = "claude-test";
const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const weatherTool = {
  name: "weather",
  description: "Weather in a city",
  input_schema: { type: "object", properties: { city: { type: "string" } } },
};
const message = (content: unknown[], stopReason: string, usage: { input_tokens: number; output_tokens: number }): unknown => ({
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  type: "message",
  role: "assistant",
  model: MODEL,
  content,
  stop_reason: stopReason,
  stop_sequence: null,
  usage,
});
const toolUses = [
  { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "weather", input: { city: "Oslo" } },
  { type: "tool_use", id: "toolu_01B19r91rx91mr928946mr0", name: "weather", input: { city: "Rome" } },
];
const error = (type: string, text: string): unknown => ({ type: "error", error: { type, message: text } });

export const anthropicFixtures: WireFixtures = {
  path: () => "/v1/messages",
  checkRequest(request) {
    expect(request.headers["x-api-key"]).toBe("sk-ant-test");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request.headers["content-type"]).toBe("application/json");
  },
  text: {
    request: {
      model: MODEL,
      max_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ["END"],
      system: "You are a concise geography assistant.",
      messages: [{ role: "user", content: "What is the capital of France?" }],
    },
    response: { json: message([{ type: "text", text: "The capital of France is Paris." }], "end_turn", { input_tokens: 21, output_tokens: 8 }) },
  },
  toolCall: {
    request: {
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: "What is the weather in Oslo and in Rome?" }],
      tools: [weatherTool],
    },
    response: { json: message([{ type: "text", text: "I'll check both cities." }, ...toolUses], "tool_use", { input_tokens: 380, output_tokens: 90 }) },
  },
  toolResult: {
    request: {
      model: MODEL,
      max_tokens: 4096,
      messages: [
        { role: "user", content: "What is the weather in Oslo and in Rome?" },
        { role: "assistant", content: [{ type: "text", text: "I'll check both cities." }, ...toolUses] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: toolUses[0]!.id, content: "Oslo: sunny, 21°C" },
            { type: "tool_result", tool_use_id: toolUses[1]!.id, content: "Rome: rain, 14°C" },
          ],
        },
      ],
      tools: [weatherTool],
    },
    response: { json: message([{ type: "text", text: "Oslo is sunny and Rome is rainy." }], "end_turn", { input_tokens: 520, output_tokens: 12 }) },
  },
  structured: {
    request: {
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: "Which city is the capital of France?" }],
      output_config: { format: { type: "json_schema", schema } },
    },
    response: { json: message([{ type: "text", text: '{"city":"Paris"}' }], "end_turn", { input_tokens: 40, output_tokens: 7 }) },
  },
  stream: {
    request: { model: MODEL, max_tokens: 4096, messages: [{ role: "user", content: "Count to three." }], stream: true },
    response: {
      sse: [
        {
          event: "message_start",
          data: { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", content: [], model: MODEL, stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } },
        },
        { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } },
        { event: "ping", data: { type: "ping" } },
        ...["One, ", "two, ", "three."].map((text) => ({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } } })),
        { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
        { event: "message_delta", data: { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 6 } } },
        { event: "message_stop", data: { type: "message_stop" } },
      ],
    },
  },
  streamToolCall: {
    request: { model: MODEL, max_tokens: 4096, messages: [{ role: "user", content: "What is the weather in Oslo and in Rome?" }], tools: [weatherTool], stream: true },
    response: {
      sse: [
        {
          event: "message_start",
          data: { type: "message_start", message: { id: "msg_2", type: "message", role: "assistant", content: [], model: MODEL, stop_reason: null, stop_sequence: null, usage: { input_tokens: 380, output_tokens: 1 } } },
        },
        { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } },
        { event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "I'll check both cities." } } },
        { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
        ...toolUses.flatMap((use, i) => [
          { event: "content_block_start", data: { type: "content_block_start", index: i + 1, content_block: { type: "tool_use", id: use.id, name: use.name, input: {} } } },
          { event: "content_block_delta", data: { type: "content_block_delta", index: i + 1, delta: { type: "input_json_delta", partial_json: "" } } },
          { event: "content_block_delta", data: { type: "content_block_delta", index: i + 1, delta: { type: "input_json_delta", partial_json: '{"city": "' } } },
          { event: "content_block_delta", data: { type: "content_block_delta", index: i + 1, delta: { type: "input_json_delta", partial_json: `${use.input.city}"}` } } },
          { event: "content_block_stop", data: { type: "content_block_stop", index: i + 1 } },
        ]),
        { event: "message_delta", data: { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 90 } } },
        { event: "message_stop", data: { type: "message_stop" } },
      ],
    },
  },
  badRequest: {
    response: { status: 400, json: error("invalid_request_error", "messages.0.content: Input should be a valid list") },
    message: "HTTP 400: messages.0.content: Input should be a valid list",
  },
  rateLimited: { status: 429, headers: { "retry-after": "1" }, json: error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit") },
};
