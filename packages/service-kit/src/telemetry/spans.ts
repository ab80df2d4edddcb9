import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanKind } from "@opentelemetry/api";

const tracer = () => trace.getTracer("ark");

/** Marks the span failed with the error's message (and the exception as an event). */
export function recordSpanError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/**
 * Runs `fn` in a child span of the active context (or of `parent`): the span ends when `fn` settles and a throw
 * marks it failed. With tracing off the span is the API's no-op and `fn` runs as it would.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T, options: { parent?: Context; kind?: SpanKind } = {}): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(name, { attributes, ...(options.kind !== undefined ? { kind: options.kind } : {}) }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The W3C trace headers (traceparent, tracestate) of the active context; empty with tracing off or no span. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The context a traceparent (and tracestate) names; the root context when there is none. */
export function contextFromTraceHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** The active span's trace id, when a recording span is active. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}
