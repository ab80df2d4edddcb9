import { ClassifiedError, type BusQueryRef } from "@ark/types";

/** NATS's default max_payload; the in-process bus holds events to the same limit. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** An event over the bus's message limit: the content (a tool result, an answer) is the user's to bound. */
export class PayloadTooLargeError extends ClassifiedError {
  override readonly name = "PayloadTooLargeError";
  constructor(message: string) {
    super("user", "PAYLOAD_TOO_LARGE", message);
  }
}

/** Rejects an encoded event over the limit, naming the query, before it reaches the wire. */
export function assertPayloadFits(ref: BusQueryRef, payload: string, limitBytes: number): void {
  const bytes = Buffer.byteLength(payload);
  if (bytes > limitBytes) {
    throw new PayloadTooLargeError(`bus: event for query ${ref.namespace}/${ref.name} is ${bytes} bytes, over the ${limitBytes}-byte message limit; truncate large tool results or content`);
  }
}
