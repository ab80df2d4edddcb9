import { randomUUID } from "node:crypto";
import type { Span } from "@opentelemetry/api";
import { EngineError, isEngineError } from "../errors.js";
import type { ChatRequest, ChatResult, ModelProvider } from "../providers/provider.js";
import { failSpan, genAiSystem, setSpanContent, SpanKind, traced } from "../tracing.js";
import type { StepEvent } from "./emit.js";

/**
 * One model call outside the agent loop (team selector, model target) between llm.call.started and
 * llm.call.completed/failed, so its tokens are counted like any other call (docs/architecture.md §7.4).
 */
export async function chatWithEvents(provider: ModelProvider, request: ChatRequest, emit: ((event: StepEvent) => void) | undefined, what: string): Promise<ChatResult> {
  // The GenAI semantic conventions' chat span (docs/architecture.md §9.1).
  const attributes = { "gen_ai.operation.name": "chat", "gen_ai.system": genAiSystem(provider.type), "gen_ai.request.model": provider.model };
  return traced(`chat ${provider.model}`, attributes, (span) => chatCall(provider, request, emit, what, span), SpanKind.CLIENT);
}

async function chatCall(provider: ModelProvider, request: ChatRequest, emit: ((event: StepEvent) => void) | undefined, what: string, span: Span): Promise<ChatResult> {
  const callId = randomUUID();
  const started = performance.now();
  emit?.({ type: "llm.call.started", callId, model: provider.model });
  setSpanContent(span, { "gen_ai.prompt": () => request.messages });
  try {
    const onDelta = request.stream && emit ? (chunk: string) => emit({ type: "content.delta", callId, chunk }) : undefined;
    const result = await provider.chat({ ...request, onDelta });
    span.setAttributes({
      "gen_ai.response.finish_reasons": [result.finishReason],
      "gen_ai.usage.input_tokens": result.usage.promptTokens,
      "gen_ai.usage.output_tokens": result.usage.completionTokens,
    });
    setSpanContent(span, { "gen_ai.completion": () => result.message });
    emit?.({
      type: "llm.call.completed",
      callId,
      model: provider.model,
      tokenUsage: result.usage,
      durationMs: performance.now() - started,
      finishReason: result.finishReason,
    });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failure = new EngineError(isEngineError(error) ? error.code : "PROVIDER_ERROR", `${what}: ${message}`, { cause: error, retryable: isEngineError(error) ? error.retryable : undefined });
    emit?.({ type: "llm.call.failed", callId, model: provider.model, message: failure.message, code: failure.code, durationMs: performance.now() - started });
    failSpan(span, failure);
    throw failure;
  }
}
