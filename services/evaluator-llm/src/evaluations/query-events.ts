import type { QueryBus } from "@ark/bus";
import type { QueryEvent } from "@ark/types";

/** An execution event as event rules see it: the event's fields, plus `tool`, parsed `arguments` and `error` where they apply. */
export type RuleEvent = Record<string, unknown> & { type: string; seq: number };

/** Streaming chunks say nothing a rule needs and can be thousands per query. */
const SKIPPED = new Set(["content.delta"]);

function parsedArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function ruleEvent(seq: number, event: QueryEvent): RuleEvent {
  const view: RuleEvent = { ...(event as unknown as Record<string, unknown>), type: event.type, seq };
  if ("toolName" in event) view["tool"] = event.toolName;
  if (event.type === "tool.call.started") view["arguments"] = parsedArguments(event.arguments);
  const error = event.type === "tool.call.completed" ? (event.error ?? (event.isError ? event.result : undefined)) : event.type.endsWith(".failed") && "message" in event ? event.message : undefined;
  if (error !== undefined) view["error"] = error;
  return view;
}

/** The query's recorded execution events from the bus (the stream ark-api's SSE replays), oldest first. */
export async function recordedEvents(bus: QueryBus<QueryEvent>, ref: { namespace: string; name: string; queryUid: string }): Promise<RuleEvent[]> {
  const events: RuleEvent[] = [];
  for await (const envelope of bus.readEvents(ref, { follow: false })) {
    if (!SKIPPED.has(envelope.event.type)) events.push(ruleEvent(envelope.seq, envelope.event));
  }
  return events;
}
