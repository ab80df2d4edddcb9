import { isRunCanceled, RunAbortedError } from "@ark/bus";
import { EngineError, type StepEvent, type TokenCount } from "@ark/engine";
import { queryFailureOf, type QueryA2AMetadata, type QueryFailure, type QueryTarget, type QueryTargetResponse } from "@ark/types";

/** What the terminal event reads of each target's outcome (the engine's TargetOutcome fits). */
type TargetResult = { target: QueryTarget; ok: true; content: string; messages?: readonly unknown[]; a2a?: QueryA2AMetadata } | ({ target: QueryTarget; ok: false; message: string } & QueryFailure);

export interface RunEnd {
  outcomes: readonly TargetResult[];
  /** The run failed before its targets ran (e.g. the input's parameters). */
  failure?: { message: string } & QueryFailure;
  /** The bus's signal: canceled or shut down. */
  busSignal: AbortSignal;
  timedOut: boolean;
  timeoutMessage: string;
  tokenUsage: TokenCount;
  durationMs: number;
}

/** How a run ends: canceled, timed out, failed (any target failed) or completed; responses of the targets that succeeded are kept. */
export function terminalEvent(end: RunEnd): StepEvent {
  const { tokenUsage, durationMs } = end;
  if (isRunCanceled(end.busSignal)) {
    const reason = end.busSignal.reason instanceof RunAbortedError ? end.busSignal.reason.message : "canceled";
    return { type: "query.canceled", message: reason, tokenUsage, durationMs };
  }
  // raw is only for status.response, a single target's: several targets' would only weigh on the event.
  const single = end.outcomes.length === 1;
  const responses = end.outcomes.flatMap((o) => (o.ok ? [single ? responseOf(o) : { target: o.target, content: o.content }] : []));
  const failures = end.outcomes.flatMap((o) => (o.ok ? [] : [o]));
  if (end.timedOut) return { type: "query.failed", message: end.timeoutMessage, ...queryFailureOf(new EngineError("TIMEOUT", end.timeoutMessage)), responses, tokenUsage, durationMs };
  if (end.failure) return { type: "query.failed", ...end.failure, responses, tokenUsage, durationMs };
  const first = failures[0];
  if (!first) return { type: "query.completed", responses, tokenUsage, durationMs };
  const message =
    failures.length === 1 && end.outcomes.length === 1
      ? first.message
      : `${failures.length} of ${end.outcomes.length} targets failed: ${failures.map((f) => `${f.target.type} ${f.target.name}: ${f.message}`).join("; ")}`;
  return { type: "query.failed", message, ...queryFailureOf(first), responses, tokenUsage, durationMs };
}

/** Longest `raw` a response carries; a longer one is left out (it rides the bus and the Query's status). */
const RAW_MAX = 128 * 1024;

/** A target's answer with upstream's `raw` (the messages it added, as JSON) and `a2a` (docs/upstream-compat.md §6.2). */
function responseOf(outcome: Extract<TargetResult, { ok: true }>): QueryTargetResponse {
  const raw = outcome.messages ? JSON.stringify(outcome.messages) : undefined;
  return {
    target: outcome.target,
    content: outcome.content,
    ...(raw !== undefined && raw.length <= RAW_MAX ? { raw } : {}),
    ...(outcome.a2a ? { a2a: outcome.a2a } : {}),
  };
}
