import { randomBytes } from "node:crypto";
import type { ChatMessage, MockFinishReason, MockUsage } from "./types.js";

// The OpenAI chat-completions wire format: https://platform.openai.com/docs/api-reference/chat

export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface CompletionContent {
  id: string;
  created: number;
  model: string;
  content: string | null;
  toolCalls: WireToolCall[];
  finishReason: MockFinishReason;
  usage: MockUsage;
}

export function newCompletionId(): string {
  return `chatcmpl-mock${randomBytes(9).toString("hex")}`;
}

export function newToolCallId(): string {
  return `call_${randomBytes(9).toString("hex")}`;
}

/** Text of a message's content: a string, or the text parts of a content array. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part: unknown) => (part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : "")).join("");
  }
  return "";
}

/** About 4 characters per token, plus a small per-message overhead, like real tokenizers. */
function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function countPromptTokens(messages: ChatMessage[], tools: unknown[] | undefined): number {
  let tokens = 3;
  for (const message of messages) {
    tokens += 4 + countTokens(messageText(message.content));
    if (message.tool_calls) tokens += countTokens(JSON.stringify(message.tool_calls));
  }
  if (tools?.length) tokens += countTokens(JSON.stringify(tools));
  return tokens;
}

export function countCompletionTokens(content: string | null, toolCalls: WireToolCall[]): number {
  let tokens = countTokens(content ?? "");
  for (const call of toolCalls) tokens += countTokens(call.function.name + call.function.arguments) + 3;
  return Math.max(1, tokens);
}

export function completionBody(c: CompletionContent): object {
  return {
    id: c.id,
    object: "chat.completion",
    created: c.created,
    model: c.model,
    system_fingerprint: "fp_mock",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: c.content,
          refusal: null,
          ...(c.toolCalls.length ? { tool_calls: c.toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: c.finishReason,
      },
    ],
    usage: c.usage,
  };
}

function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** The `chat.completion.chunk` objects of a streamed completion, in order (without `[DONE]`). */
export function completionChunks(c: CompletionContent, chunkSize: number, includeUsage: boolean): object[] {
  const chunk = (delta: object, finishReason: MockFinishReason | null = null): object => ({
    id: c.id,
    object: "chat.completion.chunk",
    created: c.created,
    model: c.model,
    system_fingerprint: "fp_mock",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks: object[] = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const piece of splitText(c.content ?? "", chunkSize)) chunks.push(chunk({ content: piece }));
  c.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
      }),
    );
    for (const piece of splitText(call.function.arguments, chunkSize * 2)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, c.finishReason));
  if (includeUsage) {
    chunks.push({
      id: c.id,
      object: "chat.completion.chunk",
      created: c.created,
      model: c.model,
      system_fingerprint: "fp_mock",
      choices: [],
      usage: c.usage,
    });
  }
  return chunks;
}

const errorDefaults: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  401: {
    message: "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
    type: "invalid_request_error",
    code: "invalid_api_key",
  },
  404: { message: "Not found.", type: "invalid_request_error", code: "not_found" },
  429: {
    message: "Rate limit reached for requests. Please try again in 1s.",
    type: "requests",
    code: "rate_limit_exceeded",
  },
  500: {
    message: "The server had an error while processing your request. Sorry about that!",
    type: "server_error",
    code: null,
  },
  503: { message: "The engine is currently overloaded, please try again later.", type: "server_error", code: null },
};

export function errorBody(status: number, override: { message?: string; type?: string; code?: string | null } = {}): { error: { message: string; type: string; param: null; code: string | null } } {
  const defaults = errorDefaults[status] ?? { message: `Mock error ${status}.`, type: "api_error", code: null };
  return {
    error: {
      message: override.message ?? defaults.message,
      type: override.type ?? defaults.type,
      param: null,
      code: override.code === undefined ? defaults.code : override.code,
    },
  };
}
