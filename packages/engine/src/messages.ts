// OpenAI chat-completions message format, the lingua franca of the engine (providers translate).
import { queryMessageText, type QueryMessage } from "@ark/types";

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface SystemMessage {
  role: "system";
  content: string;
}

export interface UserMessage {
  role: "user";
  content: string;
  name?: string;
}

export interface AssistantMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: ToolCall[];
  name?: string;
}

export interface ToolMessage {
  role: "tool";
  tool_call_id: string;
  content: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A function the model may call, as sent in the request's `tools`. */
export interface ToolDefinition {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/**
 * A `type: messages` query's input (docs/upstream-compat.md §6.2) split as upstream runs it: the last message is the
 * turn the target answers, the ones before it go on the conversation after the session's history. A developer
 * message is a system message; content parts are their text (admission allows only text parts).
 */
export function splitQueryMessages(messages: readonly QueryMessage[]): { prior: ChatMessage[]; input: string } {
  const chat = messages.map(chatMessageOf);
  const last = chat.pop();
  return { prior: chat, input: last?.content ?? "" };
}

function chatMessageOf(message: QueryMessage): ChatMessage {
  switch (message.role) {
    case "system":
    case "developer":
      return { role: "system", content: queryMessageText(message.content) };
    case "user":
      return { role: "user", content: queryMessageText(message.content), ...(message.name ? { name: message.name } : {}) };
    case "assistant": {
      const calls = message.tool_calls?.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.function.name, arguments: c.function.arguments ?? "{}" } }));
      const content = message.content === undefined || message.content === null ? null : queryMessageText(message.content);
      return { role: "assistant", content, ...(calls?.length ? { tool_calls: calls } : {}), ...(message.name ? { name: message.name } : {}) };
    }
    case "tool":
      return { role: "tool", tool_call_id: message.tool_call_id, content: queryMessageText(message.content) };
  }
}
