import { context, createContextKey, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { isApprovalPause } from "./tools/approval.js";

/**
 * Spans of a run (docs/architecture.md §9.1): target, team turn, agent, LLM call, tool call, MCP call, memory,
 * execution engine and A2A call, each a child of the active span (the worker's query.run). Without an OpenTelemetry
 * SDK the API's tracer is the no-op: no span records and no attribute is computed.
 */
// A proxy until an SDK registers; it then finds the SDK's tracer once and keeps it.
const tracer = trace.getTracer("ark-engine");

/** How much prompt and completion text spans carry (ARK_TRACE_CONTENT). */
export type TraceContentMode = "none" | "truncated" | "full";
/** Characters of one content attribute kept in `truncated` mode. */
export const TRACE_CONTENT_TRUNCATED_CHARS = 2000;

const CONTENT_MODE = createContextKey("ark.trace.content");

/** A context under which spans carry content as `mode` says; a run's spans read it from the active context. */
export function withTraceContent(ctx: Context, mode: TraceContentMode): Context {
  return ctx.setValue(CONTENT_MODE, mode);
}

/** What the active context allows; `none` when nobody said (content is opt-in per run). */
function traceContentMode(): TraceContentMode {
  return (context.active().getValue(CONTENT_MODE) as TraceContentMode | undefined) ?? "none";
}

/**
 * Sets content attributes (prompt, completion, tool arguments and results) as the mode allows: nothing with `none`,
 * each value cut at TRACE_CONTENT_TRUNCATED_CHARS with `truncated`. Values are built only when they are kept.
 */
export function setSpanContent(span: Span, content: Record<string, () => unknown>): void {
  if (!span.isRecording()) return;
  const mode = traceContentMode();
  if (mode === "none") return;
  for (const [key, value] of Object.entries(content)) {
    const produced = value();
    if (produced === undefined) continue;
    const text = typeof produced === "string" ? produced : JSON.stringify(produced);
    span.setAttribute(key, mode === "full" || text.length <= TRACE_CONTENT_TRUNCATED_CHARS ? text : `${text.slice(0, TRACE_CONTENT_TRUNCATED_CHARS)}… [${text.length - TRACE_CONTENT_TRUNCATED_CHARS} more characters]`);
  }
}

/** Marks a span failed: status ERROR with the message, the exception as an event. */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/**
 * Runs `fn` in a child span of the active context; the span ends when `fn` settles, and a throw (but an approval
 * pause, which is no failure) marks it failed.
 */
export function traced<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer.startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      if (!isApprovalPause(error)) failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind, SpanStatusCode };

/** The W3C trace headers (traceparent, tracestate) of the active span, for a request that should join its trace. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The GenAI semantic conventions' gen_ai.system for a Model's spec.type. */
export function genAiSystem(providerType: string): string {
  return GEN_AI_SYSTEMS[providerType] ?? providerType;
}

const GEN_AI_SYSTEMS: Readonly<Record<string, string>> = {
  openai: "openai",
  azure: "az.ai.openai",
  anthropic: "anthropic",
  bedrock: "aws.bedrock",
  gemini: "gcp.gemini",
  ollama: "ollama",
};
