import type { ChatMessage } from "../messages.js";

/** One conversation session of a Memory: what a query target reads before it runs and appends after. */
export interface SessionMemory {
  /** The Memory resource, `namespace/name` (events, errors). */
  readonly memory: string;
  readonly sessionId: string;
  /** The session's messages, oldest first. */
  load(signal?: AbortSignal): Promise<ChatMessage[]>;
  /** Appends in order; nothing is sent for an empty list. */
  append(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<void>;
}
