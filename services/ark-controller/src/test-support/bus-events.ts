import type { QueryBus } from "@ark/bus";
import { isTerminalQueryEvent, type BusQueryRef, type QueryEvent, type TerminalQueryEvent } from "@ark/types";

/** Every event of a query up to and including its terminal one. */
export async function eventsUntilTerminal(bus: QueryBus<QueryEvent>, ref: BusQueryRef): Promise<QueryEvent[]> {
  const events: QueryEvent[] = [];
  for await (const envelope of bus.readEvents(ref, { follow: true })) {
    events.push(envelope.event);
    if (isTerminalQueryEvent(envelope.event)) break;
  }
  return events;
}

export function terminalOf(events: QueryEvent[]): TerminalQueryEvent {
  const last = events.at(-1);
  if (!last || !isTerminalQueryEvent(last)) throw new Error(`no terminal event in ${events.map((e) => e.type).join(", ")}`);
  return last;
}
