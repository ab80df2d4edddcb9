import { sanitizeRemoteText } from "@ark/engine";
import { setCondition } from "@ark/kube";
import {
  formatDuration,
  QueryConditions,
  QueryReasons,
  type Condition,
  type FinishedQueryPhase,
  queryFailureOf,
  type QueryStatus,
  type QueryTargetError,
  type QueryTargetResponse,
  type TerminalQueryEvent,
} from "@ark/types";
import type { RunRecord, TargetEnd } from "./run-record.js";

interface FinishedRun {
  phase: FinishedQueryPhase;
  reason: (typeof QueryReasons)["Succeeded" | "Failed" | "TimedOut" | "Canceled" | TargetEnd["code"]];
  message: string;
}

/** Longest message a Query's status keeps; services' own words in it are already cut shorter where they enter. */
const STATUS_MESSAGE_MAX = 4000;

/** Whatever a run reported, as a status may show it: no control characters, no credentials, bounded. */
function statusMessage(text: string): string {
  return sanitizeRemoteText(text, { max: STATUS_MESSAGE_MAX });
}

/**
 * The phase, reason and message a terminal event stands for. A query done because a team stopped at maxTurns, by a
 * terminate call or at its graph's end says so: the first such end is the reason, every one is in the message.
 */
function finishedRun(event: TerminalQueryEvent, ends: readonly TargetEnd[]): FinishedRun {
  if (event.type === "query.completed") {
    const first = ends[0];
    if (!first) return { phase: "done", reason: QueryReasons.Succeeded, message: "the query finished" };
    return { phase: "done", reason: QueryReasons[first.code], message: statusMessage(`the query finished: ${ends.map((e) => e.message).join("; ")}`) };
  }
  if (event.type === "query.canceled") return { phase: "canceled", reason: QueryReasons.Canceled, message: statusMessage(event.message ?? "the query was canceled") };
  return { phase: "error", reason: event.code === "TIMEOUT" ? QueryReasons.TimedOut : QueryReasons.Failed, message: statusMessage(event.message) };
}

/**
 * The final status from the run's events: answers of the targets that succeeded (completion order), errors of
 * those that failed, tokens of every model call once, the run's duration, and the conditions that tell the story.
 */
export function finalStatus(
  record: Pick<RunRecord, "responses" | "errors"> & Partial<Pick<RunRecord, "ends" | "conversationId">> & { terminal: TerminalQueryEvent },
  current: QueryStatus | undefined,
  generation: number | undefined,
  fallbackDurationMs: number,
): QueryStatus {
  const event = record.terminal;
  const end = finishedRun(event, record.ends ?? []);
  const responses = event.type === "query.canceled" ? record.responses : (event.responses ?? record.responses);
  let conditions: Condition[] = setCondition(current?.conditions, { type: QueryConditions.Running, status: "False", reason: end.reason, message: end.message }, generation);
  conditions = setCondition(conditions, { type: QueryConditions.Completed, status: "True", reason: end.reason, message: end.message }, generation);
  const usage = event.tokenUsage;
  const single = singleResponse(
    responses,
    record.errors.map((error) => ({ ...error, message: statusMessage(error.message) })),
  );
  return {
    phase: end.phase,
    message: end.message,
    // raw and a2a only in status.response, as upstream: the list stays small.
    responses: responses.map(({ target, content }) => ({ target, content })),
    ...(single ? { response: single } : {}),
    ...(record.conversationId ? { conversationId: record.conversationId } : {}),
    ...(record.errors.length > 0 ? { errors: record.errors.map((error) => ({ ...error, message: statusMessage(error.message) })) } : {}),
    ...(event.type === "query.failed" && (event.code || event.origin) ? { failure: queryFailureOf(event) } : {}),
    ...(usage ? { tokenUsage: { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, totalTokens: usage.totalTokens } } : {}),
    duration: formatDuration(Math.round(event.durationMs ?? fallbackDurationMs)),
    conditions,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
}

/**
 * status.response of a query with one target, as upstream writes it: its answer (`phase: done`, `raw` the messages it
 * added) or its error (`phase: error`, `raw` upstream's `[{error: "target_execution_error", message}]`).
 */
function singleResponse(responses: readonly QueryTargetResponse[], errors: readonly QueryTargetError[]): QueryTargetResponse | undefined {
  const answer = responses[0];
  if (responses.length === 1 && errors.length === 0 && answer) return { ...answer, phase: "done" };
  const error = errors[0];
  if (errors.length === 1 && responses.length === 0 && error) {
    const raw = JSON.stringify([{ error: "target_execution_error", message: error.message }]);
    return { target: error.target, content: error.message, raw, phase: "error" };
  }
  return undefined;
}
