// OpenAI chat-completions wire traffic (also Azure OpenAI's), from https://platform.openai.com/docs/api-reference/chat.
import type { RecordedWireRequest } from "./server.js";
import type { WireFixtures } from "../conformance.js";

const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const tools = [{ type: "function", function: { name: "weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
const toolCalls = [
  { id: "call_Oslo9xJ2bq3KfH7nWm4e", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } },
  { id: "call_Rome1aB8cD2eF3gH4iJ5", type: "function", function: { name: "weather", arguments: '{"city":"Rome"}' } },
];
const question = { role: "user", content: "What is the weather in Oslo and in Rome?" };

export function openaiFixtures(model: string, path: string, checkRequest: (request: RecordedWireRequest) => void): WireFixtures {
  const completion = (message: Record<string, unknown>, finish: string, usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }): unknown => ({
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion",
    created: 1741569952,
    model,
    choices: [{ index: 0, message: { role: "assistant", refusal: null, annotations: [], ...message }, logprobs: null, finish_reason: finish }],
    usage,
    service_tier: "default",
  });
  const chunk = (delta: Record<string, unknown>, finish: string | null): unknown => ({
    id: "chatcmpl-123",
    object: "chat.completion.chunk",
    created: 1694268190,
    model,
    system_fingerprint: "fp_44709d6fcb",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  });
  const error = (message: string, type: string, param: string | null): unknown => ({ error: { message, type, param, code: null } });
  return {
    path: () => path,
    checkRequest,
    text: {
      request: {
        model,
        messages: [
          { role: "system", content: "You are a concise geography assistant." },
          { role: "user", content: "What is the capital of France?" },
        ],
        n: 1,
        temperature: 0.2,
        max_tokens: 256,
        top_p: 0.9,
        stop: "END",
      },
      response: { json: completion({ content: "The capital of France is Paris." }, "stop", { prompt_tokens: 21, completion_tokens: 8, total_tokens: 29 }) },
    },
    toolCall: {
      request: { model, messages: [question], n: 1, temperature: 1, tools },
      response: { json: completion({ content: null, tool_calls: toolCalls }, "tool_calls", { prompt_tokens: 82, completion_tokens: 17, total_tokens: 99 }) },
    },
    toolResult: {
      request: {
        model,
        messages: [
          question,
          { role: "assistant", content: null, tool_calls: toolCalls },
          { role: "tool", tool_call_id: toolCalls[0]!.id, content: "Oslo: sunny, 21°C" },
          { role: "tool", tool_call_id: toolCalls[1]!.id, content: "Rome: rain, 14°C" },
        ],
        n: 1,
        temperature: 1,
        tools,
      },
      response: { json: completion({ content: "Oslo is sunny and Rome is rainy." }, "stop", { prompt_tokens: 140, completion_tokens: 10, total_tokens: 150 }) },
    },
    structured: {
      request: {
        model,
        messages: [{ role: "user", content: "Which city is the capital of France?" }],
        n: 1,
        temperature: 1,
        response_format: { type: "json_schema", json_schema: { name: "capital", schema } },
      },
      response: { json: completion({ content: '{"city":"Paris"}' }, "stop", { prompt_tokens: 40, completion_tokens: 7, total_tokens: 47 }) },
    },
    stream: {
      request: {
        model,
        messages: [{ role: "user", content: "Count to three." }],
        n: 1,
        temperature: 1,
        stream: true,
        stream_options: { include_usage: true },
      },
      response: {
        sse: [
          { data: chunk({ role: "assistant", content: "" }, null) },
          ...["One, ", "two, ", "three."].map((content) => ({ data: chunk({ content }, null) })),
          { data: chunk({}, "stop") },
          { data: { id: "chatcmpl-123", object: "chat.completion.chunk", created: 1694268190, model, choices: [], usage: { prompt_tokens: 10, completion_tokens: 6, total_tokens: 16 } } },
          { data: "[DONE]" },
        ],
      },
    },
    streamToolCall: {
      request: { model, messages: [question], n: 1, temperature: 1, tools, stream: true, stream_options: { include_usage: true } },
      response: {
        sse: [
          { data: chunk({ role: "assistant", content: null }, null) },
          ...toolCalls.flatMap((call, index) => [
            { data: chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }, null) },
            { data: chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(0, 6) } }] }, null) },
            { data: chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(6) } }] }, null) },
          ]),
          { data: chunk({}, "tool_calls") },
          { data: { id: "chatcmpl-123", object: "chat.completion.chunk", created: 1694268190, model, choices: [], usage: { prompt_tokens: 82, completion_tokens: 17, total_tokens: 99 } } },
          { data: "[DONE]" },
        ],
      },
    },
    badRequest: {
      response: { status: 400, json: error("Invalid value for 'temperature': expected a number <= 2.", "invalid_request_error", "temperature") },
      message: "HTTP 400: Invalid value for 'temperature': expected a number <= 2.",
    },
    rateLimited: { status: 429, headers: { "retry-after": "1" }, json: error("Rate limit reached for gpt-test on requests per min (RPM).", "requests", null) },
  };
}
