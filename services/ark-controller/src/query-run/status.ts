import { getCondition, metadataTimeMs, setCondition, type Query } from "@ark/kube";
import { formatDuration, QueryConditions, QueryReasons, type Condition, type QueryStatus } from "@ark/types";

type Update = { type: string; status: Condition["status"]; reason: string; message: string };

function withConditions(query: Query, updates: Update[], now?: Date): Pick<QueryStatus, "conditions" | "observedGeneration"> {
  const generation = query.metadata.generation;
  const conditions = updates.reduce<Condition[]>((all, update) => setCondition(all, update, generation, now), query.status?.conditions ?? []);
  return { conditions, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
}

/** Waiting for references that do not exist yet (applied in any order). */
export function pendingStatus(query: Query, problems: string[]): QueryStatus {
  const message = `waiting for ${problems.join("; ")}`;
  return {
    phase: "pending",
    message,
    ...withConditions(query, [
      { type: QueryConditions.Resolved, status: "False", reason: QueryReasons.ReferenceNotFound, message: problems.join("; ") },
      { type: QueryConditions.Completed, status: "False", reason: QueryReasons.Pending, message },
    ]),
  };
}

/** Enqueued for a worker at `enqueuedAt`: the Running condition's transition time is when the timeout started counting. */
export function runningStatus(query: Query, enqueuedAt: number): QueryStatus {
  const message = "the query run is enqueued for a worker";
  return {
    phase: "running",
    message,
    ...withConditions(
      query,
      [
        { type: QueryConditions.Resolved, status: "True", reason: QueryReasons.ReferencesResolved, message: "every target and what it refers to exists" },
        { type: QueryConditions.Running, status: "True", reason: QueryReasons.Enqueued, message },
        { type: QueryConditions.Completed, status: "False", reason: QueryReasons.Running, message },
      ],
      new Date(enqueuedAt),
    ),
  };
}

/** Ended by the controller itself: references never resolved, no result by the deadline, or canceled. */
export function endedStatus(query: Query, end: { phase: "error" | "canceled"; reason: (typeof QueryReasons)["ReferenceNotFound" | "TimedOut" | "Canceled"]; message: string; durationMs: number }): QueryStatus {
  const updates: Update[] = [{ type: QueryConditions.Completed, status: "True", reason: end.reason, message: end.message }];
  if (getCondition(query.status?.conditions, QueryConditions.Running)) updates.unshift({ type: QueryConditions.Running, status: "False", reason: end.reason, message: end.message });
  if (end.reason === QueryReasons.ReferenceNotFound) updates.unshift({ type: QueryConditions.Resolved, status: "False", reason: end.reason, message: end.message });
  // The user's to fix, as the worker classifies the same failures (docs/architecture.md §10).
  const failure = end.phase === "error" ? { failure: { code: end.reason === QueryReasons.TimedOut ? "TIMEOUT" : "CONFIG_ERROR", origin: "user" as const, retryable: false } } : {};
  return { phase: end.phase, message: end.message, duration: formatDuration(Math.max(0, Math.round(end.durationMs))), ...failure, ...withConditions(query, updates) };
}

/** When the timeout started counting (the run was enqueued), or undefined before that. */
export function runningSince(query: Query): number | undefined {
  const time = getCondition(query.status?.conditions, QueryConditions.Running)?.lastTransitionTime;
  return time ? Date.parse(time) : undefined;
}

/** A metadata timestamp as ms (now when there is none). */
export function timeOf(value: Date | string | undefined): number {
  return metadataTimeMs(value) ?? Date.now();
}
