import { EngineError } from "../../errors.js";
import type { AssistantMessage, ToolCall } from "../../messages.js";
import { usageFromWire } from "../../usage.js";
import type { ChatResult } from "../provider.js";

interface WireChoice {
  message?: { content?: string | null; tool_calls?: ToolCall[]; refusal?: string | null };
  finish_reason?: string | null;
}

/** A non-streamed `chat.completion` object → the engine's result. */
export function parseCompletion(raw: unknown, where: string): ChatResult {
  const body = (raw ?? {}) as { choices?: WireChoice[]; usage?: unknown };
  const choice = body.choices?.[0];
  if (!choice?.message) throw new EngineError("PROVIDER_ERROR", `${where}: received empty response (no choices)`);
  const message: AssistantMessage = { role: "assistant", content: choice.message.content ?? null };
  const toolCalls = (choice.message.tool_calls ?? []).map(normalizeToolCall);
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return { message, usage: usageFromWire(body.usage), finishReason: choice.finish_reason ?? "stop" };
}

function normalizeToolCall(call: ToolCall): ToolCall {
  return {
    id: call.id,
    type: "function",
    function: { name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" },
  };
}
