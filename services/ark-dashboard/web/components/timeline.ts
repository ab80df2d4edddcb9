import type { QueryEvent } from "@ark/types";

type Usage = { promptTokens: number; completionTokens: number; totalTokens: number };

/** One row of a query's timeline: started/completed pairs folded into one entry, streamed chunks into their call's text. */
export type TimelineEntry =
  | { kind: "query"; title: string; detail?: string; usage?: Usage; durationMs?: number; responses?: Array<{ target: string; content: string }>; failed?: boolean }
  | { kind: "target"; title: string; content?: string; usage?: Usage; durationMs?: number; failed?: boolean; message?: string }
  | { kind: "turn"; title: string; detail?: string }
  | { kind: "llm"; id: string; model: string; agent?: string; text: string; usage?: Usage; durationMs?: number; finished: boolean; error?: string }
  | { kind: "tool"; id: string; name: string; agent?: string; arguments: string; result?: string; isError?: boolean; durationMs?: number }
  | { kind: "memory"; title: string }
  | { kind: "evaluation"; title: string; passed: boolean };

function targetName(target: { type: string; name: string } | undefined): string {
  return target ? `${target.type}/${target.name}` : "";
}

/** Folds a query's events (in stream order) into timeline entries. */
export function timelineEntries(events: readonly QueryEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const calls = new Map<string, Extract<TimelineEntry, { kind: "llm" }>>();
  const tools = new Map<string, Extract<TimelineEntry, { kind: "tool" }>>();
  for (const event of events) {
    switch (event.type) {
      case "query.started":
        entries.push({ kind: "query", title: "Query started", detail: event.targets.map(targetName).join(", ") });
        break;
      case "target.started":
        entries.push({ kind: "target", title: `Target ${targetName(event.target)} started` });
        break;
      case "target.completed":
        entries.push({ kind: "target", title: `Target ${targetName(event.target)} answered`, content: event.content, durationMs: event.durationMs, ...(event.tokenUsage ? { usage: event.tokenUsage } : {}) });
        break;
      case "target.failed":
        entries.push({ kind: "target", title: `Target ${targetName(event.target)} failed`, failed: true, message: event.message, durationMs: event.durationMs });
        break;
      case "team.turn":
        entries.push({ kind: "turn", title: `Turn ${event.turn + 1} of team ${event.team}` });
        break;
      case "team.member.selected":
        entries.push({ kind: "turn", title: `Team ${event.team} hands over to ${event.member.type}/${event.member.name}`, ...(event.reason ? { detail: `reason: ${event.reason}` } : {}) });
        break;
      case "llm.call.started": {
        const entry = { kind: "llm" as const, id: event.callId, model: event.model, text: "", finished: false, ...(event.agent ? { agent: event.agent } : {}) };
        calls.set(event.callId, entry);
        entries.push(entry);
        break;
      }
      case "content.delta": {
        const call = event.callId ? calls.get(event.callId) : [...calls.values()].at(-1);
        if (call) call.text += event.chunk;
        break;
      }
      case "llm.call.completed": {
        const call = calls.get(event.callId);
        if (call) Object.assign(call, { usage: event.tokenUsage, durationMs: event.durationMs, finished: true });
        break;
      }
      case "llm.call.failed": {
        const call = calls.get(event.callId);
        if (call) Object.assign(call, { error: event.message, durationMs: event.durationMs, finished: true });
        break;
      }
      case "tool.call.started": {
        const entry = { kind: "tool" as const, id: event.toolCallId, name: event.toolName, arguments: event.arguments, ...(event.agent ? { agent: event.agent } : {}) };
        tools.set(event.toolCallId, entry);
        entries.push(entry);
        break;
      }
      case "tool.call.completed": {
        const tool = tools.get(event.toolCallId);
        if (tool) Object.assign(tool, { result: event.result, isError: event.isError, durationMs: event.durationMs });
        break;
      }
      case "memory.read":
      case "memory.written":
        entries.push({
          kind: "memory",
          title: `${event.type === "memory.read" ? "Read" : "Wrote"} ${event.messageCount} message(s) ${event.type === "memory.read" ? "from" : "to"} ${event.memory} (session ${event.sessionId})`,
        });
        break;
      case "evaluation.completed":
        entries.push({ kind: "evaluation", title: `Evaluator ${event.evaluator}: score ${event.score}, ${event.passed ? "passed" : "failed"}`, passed: event.passed });
        break;
      case "query.completed":
        entries.push({
          kind: "query",
          title: "Query completed",
          usage: event.tokenUsage,
          responses: event.responses.map((r) => ({ target: targetName(r.target), content: r.content })),
          ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
        });
        break;
      case "query.failed":
        entries.push({
          kind: "query",
          title: "Query failed",
          detail: event.message,
          failed: true,
          ...(event.tokenUsage ? { usage: event.tokenUsage } : {}),
          ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
        });
        break;
      case "query.canceled":
        entries.push({ kind: "query", title: "Query canceled", ...(event.message ? { detail: event.message } : {}), failed: true });
        break;
    }
  }
  return entries;
}
