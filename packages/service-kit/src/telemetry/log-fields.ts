import { trace } from "@opentelemetry/api";
import { tracingEnabled } from "./tracing-state.js";

const none = {};

/** pino mixin: the active trace and span ids on every log line written inside a span (nothing with tracing off). */
export function traceLogFields(): Record<string, string> {
  if (!tracingEnabled()) return none;
  const span = trace.getActiveSpan();
  if (!span) return none;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
