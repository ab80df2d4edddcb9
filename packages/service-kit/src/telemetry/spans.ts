import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";

/** A tracer from the global provider: the no-op one unless initTelemetry started the SDK. */
export function getTracer(name: string, version?: string): Tracer {
  return trace.getTracer(name, version);
}

/** Runs fn in an active span, records a thrown error on it (and rethrows), and always ends it. */
export async function withSpan<T>(tracer: Tracer, name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
