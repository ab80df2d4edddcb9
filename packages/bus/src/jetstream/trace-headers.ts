import { context, propagation, ROOT_CONTEXT, type Context } from "@opentelemetry/api";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/transport-node";

/** The active W3C trace context as NATS message headers; undefined when there is none (tracing off). */
export function traceHeadersOut(): MsgHdrs | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return undefined;
  const h = natsHeaders();
  for (const [key, value] of Object.entries(carrier)) h.set(key, value);
  return h;
}

/** The trace context a message's headers carry (the root context when none). */
export function traceContextIn(h: MsgHdrs | undefined): Context {
  const traceparent = h?.get("traceparent");
  if (!traceparent) return ROOT_CONTEXT;
  const tracestate = h?.get("tracestate");
  return propagation.extract(ROOT_CONTEXT, { traceparent, ...(tracestate ? { tracestate } : {}) });
}
