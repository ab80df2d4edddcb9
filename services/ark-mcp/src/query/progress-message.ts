import type { QueryEvent } from "@ark/types";

/** One line per event worth a progress notification; undefined for chatty ones (content deltas, LLM call starts). */
export function progressMessage(event: QueryEvent): string | undefined {
  const who = event.agent ? `agent ${event.agent}` : event.target ? `${event.target.type} ${event.target.name}` : "query";
  switch (event.type) {
    case "query.started":
      return `query started (${event.targets.map((t) => `${t.type}/${t.name}`).join(", ")})`;
    case "target.started":
      return `${event.target.type} ${event.target.name} started`;
    case "target.completed":
      return `${event.target.type} ${event.target.name} answered`;
    case "target.failed":
      return `${event.target.type} ${event.target.name} failed: ${event.message}`;
    case "llm.call.completed":
      return `${who}: model call done (${event.tokenUsage.totalTokens} tokens)`;
    case "llm.call.failed":
      return `${who}: model call failed: ${event.message}`;
    case "tool.call.started":
      return `${who}: calling tool ${event.toolName}`;
    case "tool.call.completed":
      return `${who}: tool ${event.toolName} ${event.isError ? "failed" : "returned"}`;
    case "team.turn":
      return `team ${event.team}: turn ${event.turn}`;
    case "team.member.selected":
      return `team ${event.team}: ${event.member.type} ${event.member.name} takes the turn`;
    case "memory.read":
    case "memory.written":
    case "evaluation.completed":
    case "llm.call.started":
    case "content.delta":
      return undefined;
    case "query.completed":
      return "query done";
    case "query.failed":
      return `query failed: ${event.message}`;
    case "query.canceled":
      return "query canceled";
  }
}
