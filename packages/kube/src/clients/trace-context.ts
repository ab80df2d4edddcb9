import { context, propagation } from "@opentelemetry/api";
import { queryKind, TRACEPARENT_ANNOTATION, TRACESTATE_ANNOTATION } from "@ark/types";

/**
 * A Query created inside a span carries that span's W3C trace context as annotations, so its reconcile and its run
 * join the creator's trace (docs/architecture.md §9). An annotation the caller set is kept; other kinds are untouched.
 */
export function withTraceContext<T extends { metadata: { annotations?: Record<string, string> | undefined } }>(obj: T, kind: string): T {
  if (kind !== queryKind.kind || obj.metadata.annotations?.[TRACEPARENT_ANNOTATION]) return obj;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return obj;
  const annotations: Record<string, string> = { ...obj.metadata.annotations, [TRACEPARENT_ANNOTATION]: carrier.traceparent };
  if (carrier.tracestate) annotations[TRACESTATE_ANNOTATION] = carrier.tracestate;
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}
