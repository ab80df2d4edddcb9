import { z } from "zod";
import { EvaluationCompletedEvent } from "./evaluation.js";
import { ContentDeltaEvent, LlmCallCompletedEvent, LlmCallFailedEvent, LlmCallStartedEvent } from "./llm.js";
import { MemoryReadEvent, MemoryWrittenEvent } from "./memory.js";
import { QueryCanceledEvent, QueryCompletedEvent, QueryFailedEvent, QueryStartedEvent } from "./query.js";
import { TargetCompletedEvent, TargetFailedEvent, TargetStartedEvent } from "./target.js";
import { TeamMemberSelectedEvent, TeamTurnEvent } from "./team.js";
import { ToolApprovalRequestedEvent, ToolCallCompletedEvent, ToolCallStartedEvent } from "./tool.js";

export * from "./common.js";
export * from "./evaluation.js";
export * from "./llm.js";
export * from "./memory.js";
export * from "./query.js";
export * from "./target.js";
export * from "./team.js";
export * from "./tool.js";

export const QueryEvent = z.discriminatedUnion("type", [
  QueryStartedEvent,
  TargetStartedEvent,
  TargetCompletedEvent,
  TargetFailedEvent,
  LlmCallStartedEvent,
  LlmCallCompletedEvent,
  LlmCallFailedEvent,
  ContentDeltaEvent,
  ToolCallStartedEvent,
  ToolCallCompletedEvent,
  ToolApprovalRequestedEvent,
  TeamTurnEvent,
  TeamMemberSelectedEvent,
  MemoryReadEvent,
  MemoryWrittenEvent,
  EvaluationCompletedEvent,
  QueryCompletedEvent,
  QueryFailedEvent,
  QueryCanceledEvent,
]);
export type QueryEvent = z.output<typeof QueryEvent>;
export type QueryEventType = QueryEvent["type"];

/** An event of one type, e.g. `QueryEventOf<"tool.call.started">`. */
export type QueryEventOf<T extends QueryEventType> = Extract<QueryEvent, { type: T }>;

/** The events that end a query; nothing follows them on the query's stream. */
export const TERMINAL_QUERY_EVENT_TYPES = ["query.completed", "query.failed", "query.canceled"] as const;
export type TerminalQueryEvent = QueryEventOf<(typeof TERMINAL_QUERY_EVENT_TYPES)[number]>;

const terminalTypes: ReadonlySet<string> = new Set(TERMINAL_QUERY_EVENT_TYPES);

export function isTerminalQueryEvent(event: { type: string }): event is TerminalQueryEvent {
  return terminalTypes.has(event.type);
}
