import { randomUUID } from "node:crypto";
import { EngineError, isEngineError } from "../errors.js";
import type { ChatRequest, ChatResult, ModelProvider } from "../providers/provider.js";
import type { StepEvent } from "./emit.js";

/**
 * One model call outside the agent loop (team selector, model target) between llm.call.started and
 * llm.call.completed/failed, so its tokens are counted like any other call (docs/architecture.md §7.4).
 */
export async function chatWithEvents(
  provider: ModelProvider,
  request: ChatRequest,
  emit: ((event: StepEvent) => void) | undefined,
  what: string,
): Promise<ChatResult> {
  const callId = randomUUID();
  const started = performance.now();
  emit?.({ type: "llm.call.started", callId, model: provider.model });
  try {
    const onDelta = request.stream && emit ? (chunk: string) => emit({ type: "content.delta", callId, chunk }) : undefined;
    const result = await provider.chat({ ...request, onDelta });
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
    const failure = new EngineError(isEngineError(error) ? error.code : "PROVIDER_ERROR", `${what}: ${message}`, { cause: error });
    emit?.({ type: "llm.call.failed", callId, model: provider.model, message: failure.message, code: failure.code, durationMs: performance.now() - started });
    throw failure;
  }
}
