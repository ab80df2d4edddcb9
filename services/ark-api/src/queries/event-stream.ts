import { isTerminalBusEvent } from "@ark/types";
import type { FastifyBaseLogger } from "fastify";
import type { ApiContext } from "../context.js";
import { followQueryEvents, type QueryIdentity } from "./follow-query.js";
import { sseMessage, type EventStream } from "./sse.js";

const HEARTBEAT_MS = 15_000;

/**
 * Writes a query's events as SSE (`id:` the bus seq, `event:` the event type, `data:` the event) until the
 * query ends; a query that ends without a terminal event gets a final `event: end` with its phase.
 */
export async function writeQueryEvents(ctx: ApiContext, query: QueryIdentity, stream: EventStream, afterSeq: number | undefined, log: FastifyBaseLogger): Promise<void> {
  const heartbeat = setInterval(() => stream.write(": keep-alive\n\n"), HEARTBEAT_MS);
  let sawTerminal = false;
  try {
    for await (const envelope of followQueryEvents(ctx, query, { signal: stream.closed, ...(afterSeq ? { afterSeq } : {}) })) {
      const type = (envelope.event as { type?: string }).type ?? "event";
      stream.write(sseMessage({ id: envelope.seq, event: type, data: envelope.event }));
      sawTerminal ||= isTerminalBusEvent(envelope.event);
    }
    if (!sawTerminal && !stream.closed.aborted) {
      const final = await ctx.ark.queries.get(query.namespace, query.name);
      stream.write(sseMessage({ event: "end", data: { phase: final?.status?.phase ?? "deleted", message: final?.status?.message, ...(final?.status?.failure ? { failure: final.status.failure } : {}) } }));
    }
  } catch (err) {
    log.warn({ err }, "query event stream failed");
    stream.write(sseMessage({ event: "error", data: { message: "event stream interrupted" } }));
  } finally {
    clearInterval(heartbeat);
    stream.end();
  }
}
