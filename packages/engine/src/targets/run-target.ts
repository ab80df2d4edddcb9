import { ClassifiedError, classifyError, type ErrorOrigin, type QueryTarget } from "@ark/types";
import { isEngineError } from "../errors.js";
import { contextEmitter } from "../events/emit.js";
import { TokenUsageCollector } from "../events/token-usage-collector.js";
import type { ChatMessage } from "../messages.js";
import type { TokenCount } from "../usage.js";
import type { TeamEnd } from "../teams/team-run.js";
import { runAgentTarget } from "./agent-target.js";
import { messageOf } from "./build-tool.js";
import { runModelTarget } from "./model-target.js";
import { loadHistory, saveExchange, usesMemory } from "./target-memory.js";
import type { TargetAnswer, TargetRequest, TargetRunner } from "./target-run.js";
import { runTeamTarget } from "./team-target.js";
import { runToolTarget } from "./tool-target.js";
import { isApprovalPause } from "../tools/approval.js";
import { failSpan, setSpanContent, traced } from "../tracing.js";

export const TARGET_RUNNERS: Readonly<Record<QueryTarget["type"], TargetRunner>> = {
  agent: runAgentTarget,
  team: runTeamTarget,
  model: runModelTarget,
  tool: runToolTarget,
};

export type TargetOutcome =
  | { target: QueryTarget; ok: true; content: string; messages: ChatMessage[]; end?: TeamEnd; a2a?: TargetAnswer["a2a"]; tokenUsage: TokenCount; durationMs: number }
  | { target: QueryTarget; ok: false; message: string; code?: string; origin: ErrorOrigin; retryable: boolean; tokenUsage: TokenCount; durationMs: number };

/**
 * Runs one target of any type between target.started and target.completed/failed; a failure is an outcome, never
 * a throw. With `memory`, the session's history is read first and the exchange appended after a success; a memory
 * failure fails the target.
 */
export async function runTarget(request: TargetRequest): Promise<TargetOutcome> {
  const { target } = request;
  // A failed target is an outcome, not a throw: its span is marked failed here (docs/architecture.md §9.1).
  return traced("target.run", { "ark.target.type": target.type, "ark.target.name": target.name }, async (span) => {
    setSpanContent(span, { "langfuse.observation.input": () => request.input });
    const outcome = await targetRun(request);
    if (outcome.ok) setSpanContent(span, { "langfuse.observation.output": () => outcome.content });
    else failSpan(span, new Error(outcome.message));
    return outcome;
  });
}

async function targetRun(request: TargetRequest): Promise<TargetOutcome> {
  const { target } = request;
  const usage = new TokenUsageCollector(request.emit);
  const emit = contextEmitter(usage.sink, { target })!;
  const started = performance.now();
  emit({ type: "target.started" });
  try {
    const memory = request.memory && usesMemory(target.type) ? request.memory : undefined;
    const earlier = memory ? await loadHistory(memory, request.signal, emit, request.hydrateSystemMessages ?? false) : request.history;
    const prior = request.priorMessages ?? [];
    const history = prior.length ? [...(earlier ?? []), ...prior] : earlier;
    const answer = await TARGET_RUNNERS[target.type]({ ...request, ...(history ? { history } : {}), emit: usage.sink });
    if (memory) await saveExchange(memory, [...prior, { role: "user", content: request.input }], answer.messages, request.signal, emit);
    const durationMs = performance.now() - started;
    emit({ type: "target.completed", content: answer.content, tokenUsage: usage.usage, durationMs, ...(answer.end ? { reason: answer.end.message, endReason: answer.end.code } : {}) });
    return { target, ok: true, ...answer, tokenUsage: usage.usage, durationMs };
  } catch (error) {
    // A pause is not an outcome: the worker stores the run and ends the job (docs/architecture.md §3.2).
    if (isApprovalPause(error)) throw error;
    const durationMs = performance.now() - started;
    const message = isEngineError(error) ? error.message : (request.describeError ?? messageOf)(error);
    const code = error instanceof ClassifiedError ? error.code : undefined;
    const { origin, retryable } = classifyError(error);
    emit({ type: "target.failed", message, ...(code ? { code } : {}), origin, retryable, durationMs });
    return { target, ok: false, message, ...(code ? { code } : {}), origin, retryable, tokenUsage: usage.usage, durationMs };
  }
}
