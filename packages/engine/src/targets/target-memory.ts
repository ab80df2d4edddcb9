import type { QueryTarget } from "@ark/types";
import type { StepEvent } from "../events/emit.js";
import type { ChatMessage } from "../messages.js";
import type { SessionMemory } from "../memory/session-memory.js";

/** Tool targets neither read nor write memory (docs/upstream-compat.md §6.7.4); agents, teams and models do. */
export function usesMemory(type: QueryTarget["type"]): boolean {
  return type !== "tool";
}

/** The session's history before a target runs. */
export async function loadHistory(memory: SessionMemory, signal: AbortSignal | undefined, emit: (event: StepEvent) => void): Promise<ChatMessage[]> {
  const messages = await memory.load(signal);
  emit({ type: "memory.read", memory: memory.memory, sessionId: memory.sessionId, messageCount: messages.length });
  return messages;
}

/**
 * After a target answered: the user message and every message the target added (an agent's tool calls and
 * results, every team member's turn, a model's answer). Teams save the user message too (docs/architecture.md §7.5).
 */
export async function saveExchange(
  memory: SessionMemory,
  input: string,
  added: readonly ChatMessage[],
  signal: AbortSignal | undefined,
  emit: (event: StepEvent) => void,
): Promise<void> {
  const messages: ChatMessage[] = [{ role: "user", content: input }, ...added];
  await memory.append(messages, signal);
  emit({ type: "memory.written", memory: memory.memory, sessionId: memory.sessionId, messageCount: messages.length });
}
