import { z } from "zod";
import { TERMINAL_QUERY_EVENT_TYPES } from "../events/index.js";

/**
 * One execution event as stored on the bus. `seq` orders a query's events and is what an SSE
 * client sends back as Last-Event-ID; it increases within a query but is not contiguous.
 */
export const BusEventEnvelope = z.object({
  seq: z.int().min(1),
  queryUid: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  time: z.iso.datetime().describe("When the bus accepted the event (RFC 3339)."),
  event: z.unknown(),
});
export type BusEventEnvelope<E = unknown> = Omit<z.output<typeof BusEventEnvelope>, "event"> & { event: E };

/** The stored form: the envelope without `seq`, which the bus assigns when it accepts the event. */
export const BusEventRecord = BusEventEnvelope.omit({ seq: true });
export type BusEventRecord<E = unknown> = Omit<BusEventEnvelope<E>, "seq">;

const terminalTypes: ReadonlySet<unknown> = new Set(TERMINAL_QUERY_EVENT_TYPES);

/** Whether an event ends its query's stream; the only thing the bus knows about what events mean. */
export function isTerminalBusEvent(event: unknown): boolean {
  return typeof event === "object" && event !== null && terminalTypes.has((event as { type?: unknown }).type);
}
