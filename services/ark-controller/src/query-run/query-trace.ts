import type { Query } from "@ark/kube";
import { contextFromTraceHeaders } from "@ark/service-kit";
import { TRACEPARENT_ANNOTATION, TRACESTATE_ANNOTATION } from "@ark/types";
import type { Context } from "@opentelemetry/api";

type Annotated = { metadata: { annotations?: Record<string, string> | undefined } } | Pick<Query, "metadata">;

/** The trace a Query's creator started (its traceparent annotation); the root context when it has none. */
export function queryTraceContext(query: Annotated): Context {
  const annotations = query.metadata.annotations ?? {};
  const traceparent = annotations[TRACEPARENT_ANNOTATION];
  const tracestate = annotations[TRACESTATE_ANNOTATION];
  return contextFromTraceHeaders(traceparent ? { traceparent, ...(tracestate ? { tracestate } : {}) } : {});
}

/** Span attributes naming a query (the log fields too: namespace, name, uid). */
export function querySpanAttributes(ref: { namespace: string; name: string; queryUid: string }): Record<string, string> {
  return { "ark.query.namespace": ref.namespace, "ark.query.name": ref.name, "ark.query.uid": ref.queryUid };
}
