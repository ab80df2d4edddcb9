import { isRunCanceled, RunAbortedError } from "@ark/bus";
import type { StepEvent, TokenCount } from "@ark/engine";
import type { QueryTarget } from "@ark/types";

/** What the terminal event reads of each target's outcome (the engine's TargetOutcome fits). */
type TargetResult =
  | { target: QueryTarget; ok: true; content: string }
  | { target: QueryTarget; ok: false; message: string; code?: string };

export interface RunEnd {
  outcomes: readonly TargetResult[];
  /** The run failed before its targets ran (e.g. the input's parameters). */
  failure?: { message: string; code?: string };
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
  const responses = end.outcomes.flatMap((o) => (o.ok ? [{ target: o.target, content: o.content }] : []));
  const failures = end.outcomes.flatMap((o) => (o.ok ? [] : [o]));
  if (end.timedOut) return { type: "query.failed", message: end.timeoutMessage, code: "TIMEOUT", responses, tokenUsage, durationMs };
  if (end.failure) return { type: "query.failed", ...end.failure, responses, tokenUsage, durationMs };
  const first = failures[0];
  if (!first) return { type: "query.completed", responses, tokenUsage, durationMs };
  const message = failures.length === 1 && end.outcomes.length === 1
    ? first.message
    : `${failures.length} of ${end.outcomes.length} targets failed: ${failures.map((f) => `${f.target.type} ${f.target.name}: ${f.message}`).join("; ")}`;
  return { type: "query.failed", message, ...(first.code ? { code: first.code } : {}), responses, tokenUsage, durationMs };
}
