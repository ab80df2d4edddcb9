import type { QueryTarget } from "@ark/types";
import type { StepEvent } from "../events/emit.js";
import type { ChatMessage } from "../messages.js";
import type { SessionMemory } from "../memory/session-memory.js";
import { traced } from "../tracing.js";

/** Tool targets neither read nor write memory (docs/upstream-compat.md §6.7.4); agents, teams and models do. */
export function usesMemory(type: QueryTarget["type"]): boolean {
  return type !== "tool";
}

/**
 * The session's history before a target runs; its system messages (a message query's) only when `withSystem`, as
 * upstream hydrates them only on request (docs/upstream-compat.md §9.1).
 */
export async function loadHistory(memory: SessionMemory, signal: AbortSignal | undefined, emit: (event: StepEvent) => void, withSystem: boolean): Promise<ChatMessage[]> {
  return traced("memory.read", { "ark.memory": memory.memory, "ark.memory.session_id": memory.sessionId }, async (span) => {
    const messages = await memory.load(signal);
    span.setAttribute("ark.memory.message_count", messages.length);
    emit({ type: "memory.read", memory: memory.memory, sessionId: memory.sessionId, messageCount: messages.length });
    return withSystem ? messages : messages.filter((m) => m.role !== "system");
  });
}

/**
 * After a target answered: the query's messages (the user message, or a message input's messages) and every message
 * the target added (an agent's tool calls and results, every team member's turn, a model's answer). Teams save the
 * user message too (docs/architecture.md §7.5).
 */
export async function saveExchange(memory: SessionMemory, asked: readonly ChatMessage[], added: readonly ChatMessage[], signal: AbortSignal | undefined, emit: (event: StepEvent) => void): Promise<void> {
  const messages: ChatMessage[] = [...asked, ...added];
  const attributes = { "ark.memory": memory.memory, "ark.memory.session_id": memory.sessionId, "ark.memory.message_count": messages.length };
  await traced("memory.write", attributes, () => memory.append(messages, signal));
  emit({ type: "memory.written", memory: memory.memory, sessionId: memory.sessionId, messageCount: messages.length });
}
