import type { QueryBus } from "@ark/bus";
import { getCondition, patchStatus, splitKey, writtenObjects, type ArkClient, type EventRecorder, type InformerCache, type Query, type ReconcileResult, type WrittenObjects } from "@ark/kube";
import { GROUP, isFinishedQueryPhase, parseDuration, QUERY_FINALIZER, QueryConditions, QueryReasons, type BusQueryRef, type QueryEvent, type QueryRunJob, type QueryStatus, type TerminalQueryEvent } from "@ark/types";
import { withSpan } from "@ark/service-kit";
import { finalStatus } from "../query-run/final-status.js";
import { querySpanAttributes, queryTraceContext } from "../query-run/query-trace.js";
import type { RunRecord } from "../query-run/run-record.js";
import type { RunTracker } from "../query-run/run-tracker.js";
import { endedStatus, pendingStatus, runningSince, runningStatus, timeOf } from "../query-run/status.js";
import type { ResourceLookup } from "../references/lookup.js";
import { queryReferenceProblems, type ValueReaders } from "../references/query-references.js";
import { timeoutMessage } from "../query-run/timeout.js";
import { queryEvaluatorRefs, type QueryEvaluators } from "../evaluation/query-evaluations.js";
import { targetTypeOf, type ControllerMetrics } from "../metrics.js";

export interface QueryReconcilerDeps {
  queries: InformerCache<Query>;
  lookup: ResourceLookup;
  /** Read Secrets and ConfigMaps from the informer caches. */
  values: ValueReaders;
  ark: ArkClient;
  bus: QueryBus<QueryEvent>;
  runs: RunTracker;
  events: EventRecorder;
  /** How long a query waits for missing references before failing. */
  referenceWaitMs: number;
  /** Past the deadline, how long to wait for the worker's own timeout before failing the query here. */
  deadlineGraceMs: number;
  /** How long the `running` write waits after the enqueue; a run that ends sooner goes straight to its final status (0: at once). */
  runningWriteDelayMs?: number;
  /** Calls a finished query's spec.evaluators / evaluatorSelector (phase evaluating). */
  evaluators?: QueryEvaluators;
  /** Phase changes and end-to-end durations (docs/architecture.md §9.2). */
  metrics?: Pick<ControllerMetrics, "queries" | "queryDuration">;
}

// Long TTLs (720h) exceed what a timer holds; waking hourly to re-check costs nothing.
const MAX_REQUEUE_MS = 60 * 60_000;

/** The deps and this reconciler's own writes, which it reads back before the watch delivers them. */
interface Context extends QueryReconcilerDeps {
  written: WrittenObjects<Query>;
  /** When each run this reconciler enqueued was enqueued (kept as long as the run's record: its `running` write waits on it). */
  enqueuedAt: WeakMap<RunRecord, number>;
}

/**
 * Query (docs/upstream-compat.md §6.1 with docs/architecture.md §3, §7): cancel; references resolve (waiting a while, so any apply order
 * works) → enqueue a run with its deadline → running (held back briefly: a run that ends first goes straight to its final
 * status) → finalizer (unless the run already ended); the run's terminal event → final status; deadline backstop; TTL
 * deletion of finished queries. It never calls a model.
 */
export function queryReconciler(queryDeps: QueryReconcilerDeps) {
  const deps: Context = { ...queryDeps, written: writtenObjects(queryDeps.queries), enqueuedAt: new WeakMap() };
  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const query = deps.written.get(namespace, name);
    if (!query) {
      // Gone without our finalizer's help (deleted before it was on): stop whatever still runs for it.
      for (const ref of deps.runs.stopQuery(namespace, name)) await deps.bus.requestCancel(ref, "the query was deleted");
      return;
    }
    const ref: BusQueryRef = { namespace, name, queryUid: query.metadata.uid ?? "" };
    if (query.metadata.deletionTimestamp) {
      deps.evaluators?.stop(ref.queryUid);
      return finalize(deps, query, ref);
    }
    if (query.status?.phase === "evaluating") return evaluate(deps, query, key);
    if (isFinishedQueryPhase(query.status?.phase)) {
      deps.runs.stop(ref.queryUid);
      return expireWhenDue(deps, query);
    }
    const record = query.status?.phase === "running" ? undefined : deps.runs.get(ref.queryUid);
    // Enqueued by this reconciler, its running status not written yet (showRunning).
    const enqueuedAt = record && deps.enqueuedAt.get(record);
    if (query.spec.cancel) return cancel(deps, query, ref, enqueuedAt);
    if (query.status?.phase === "running") {
      const held = await holdWhileRunning(deps, query, ref);
      return held ? watchRun(deps, held, ref) : undefined;
    }
    if (record && enqueuedAt !== undefined) return showRunning(deps, query, ref, record, enqueuedAt);
    return startRun(deps, query, ref);
  };
}

async function startRun(deps: Context, query: Query, ref: BusQueryRef): Promise<ReconcileResult | void> {
  const now = Date.now();
  const problems = await queryReferenceProblems(query, deps.lookup, deps.values);
  if (problems.length > 0) {
    const waited = now - timeOf(query.metadata.creationTimestamp);
    if (waited < deps.referenceWaitMs) {
      await writeStatus(deps, query, pendingStatus(query, problems));
      // Informer events on Agents, Models… wake it sooner; this bounds the wait.
      return { requeueAfter: Math.min(1_000, deps.referenceWaitMs - waited) };
    }
    const message = problems.join("; ");
    await writeStatus(deps, query, endedStatus(query, { phase: "error", reason: QueryReasons.ReferenceNotFound, message, durationMs: waited }));
    recordEvent(deps, query, "QueryResolveError", { error: message });
    return expireWhenDue(deps, query);
  }
  const timeoutMs = parseDuration(query.spec.timeout);
  // A query younger than the bus watch needs no catch-up read of its events (RunTracker.follow).
  const created = query.metadata.creationTimestamp;
  const record = deps.runs.follow(ref, created ? { createdAt: timeOf(created) } : {});
  await enqueueRun(deps, query, runJob(query, ref, now, now + timeoutMs));
  deps.enqueuedAt.set(record, now);
  return showRunning(deps, query, ref, record, now);
}

/**
 * A run this reconciler enqueued whose `running` status is not written yet (docs/architecture.md §3): written once the
 * run has gone on for runningWriteDelayMs, so a longer run shows running by then; a run that ended sooner goes straight
 * to its final status, one write fewer (its bus events, and so its SSE stream, still show it running). Either way the
 * Running condition's time is the enqueue's, when the timeout started counting.
 */
async function showRunning(deps: Context, query: Query, ref: BusQueryRef, record: RunRecord, enqueuedAt: number): Promise<ReconcileResult | void> {
  const now = Date.now();
  const running: QueryStatus = { ...query.status, ...runningStatus(query, enqueuedAt) };
  if (record.terminal) {
    const result = await finishRun(deps, query, ref, { record, terminal: record.terminal, since: enqueuedAt, status: running });
    // The query did run, though no watcher saw the status say so: counted as moving into running all the same.
    if (deps.metrics) countPhase(deps.metrics, query, "running");
    return result;
  }
  const held = enqueuedAt + (deps.runningWriteDelayMs ?? 0) - now;
  if (held > 0) return { requeueAfter: held };
  await writeStatus(deps, query, running);
  await holdWhileRunning(deps, deps.written.get(ref.namespace, ref.name) ?? query, ref);
  return { requeueAfter: Math.max(0, enqueuedAt + parseDuration(query.spec.timeout) + deps.deadlineGraceMs - now) };
}

/**
 * The finalizer makes deleting a running query wait until finalize() has canceled its run, also when the delete
 * comes while no controller runs. It goes on once the query shows running (one write fewer on the way there); a run
 * that has already ended needs none. Before it is on, a delete is still seen (the informer's delete) and stops the run.
 * Returns the query as written, or undefined when it is gone.
 */
async function holdWhileRunning(deps: Context, query: Query, ref: BusQueryRef): Promise<Query | undefined> {
  if (query.metadata.finalizers?.includes(QUERY_FINALIZER) || deps.runs.get(ref.queryUid)?.terminal) return query;
  const updated = await deps.ark.queries.addFinalizer(ref.namespace, ref.name, QUERY_FINALIZER, query);
  deps.written.record(updated);
  return updated;
}

async function watchRun(deps: Context, query: Query, ref: BusQueryRef): Promise<ReconcileResult | void> {
  const now = Date.now();
  const record = deps.runs.get(ref.queryUid);
  const since = runningSince(query) ?? now;
  if (record?.terminal) return finishRun(deps, query, ref, { record, terminal: record.terminal, since, status: query.status });
  const deadline = since + parseDuration(query.spec.timeout);
  if (!record) {
    // Adopted (a restart, or leadership moved): catch up from the first event; re-enqueue in case the job was
    // lost with an in-process bus — the bus drops it as a duplicate when it still has it. A run that paused for
    // approval is resumed from its ToolApprovalRequest instead, never started again (docs/architecture.md §3.2).
    deps.runs.follow(ref);
    if (!getCondition(query.status?.conditions, QueryConditions.AwaitingApproval)) await enqueueRun(deps, query, runJob(query, ref, since, deadline));
  }
  const overdue = now - (deadline + deps.deadlineGraceMs);
  if (overdue < 0) return { requeueAfter: -overdue };
  await deps.bus.requestCancel(ref, "timed out");
  deps.runs.stop(ref.queryUid);
  const message = `${timeoutMessage(`${ref.namespace}/${ref.name}`, query.spec.timeout)}; no worker reported a result`;
  await writeStatus(deps, query, endedStatus(query, { phase: "error", reason: QueryReasons.TimedOut, message, durationMs: now - since }));
  recordEvent(deps, query, "QueryResolveError", { error: message });
  return expireWhenDue(deps, query);
}

/** The final status from the run's terminal event, built on `run.status` (the running status, written or not). */
async function finishRun(deps: Context, query: Query, ref: BusQueryRef, run: { record: RunRecord; terminal: TerminalQueryEvent; since: number; status: QueryStatus | undefined }): Promise<ReconcileResult | void> {
  const status = finalStatus({ ...run.record, terminal: run.terminal }, run.status, query.metadata.generation, Date.now() - run.since);
  const evaluating = status.phase === "done" && deps.evaluators !== undefined && queryEvaluatorRefs(query, deps.evaluators.evaluatorCache).length > 0;
  await writeStatus(deps, query, evaluating ? { ...status, phase: "evaluating", message: "the query finished; its evaluators are judging it" } : status);
  deps.runs.stop(ref.queryUid);
  if (evaluating) return evaluate(deps, deps.written.get(ref.namespace, ref.name) ?? query, `${ref.namespace}/${ref.name}`);
  return expireWhenDue(deps, query);
}

/** `enqueuedAt`: the run was enqueued but its running status not written; the end builds on that status all the same. */
async function cancel(deps: Context, query: Query, ref: BusQueryRef, enqueuedAt: number | undefined): Promise<ReconcileResult | void> {
  await deps.bus.requestCancel(ref, "spec.cancel is true");
  deps.runs.stop(ref.queryUid);
  const shown = enqueuedAt === undefined ? query : { ...query, status: { ...query.status, ...runningStatus(query, enqueuedAt) } };
  const since = runningSince(shown) ?? timeOf(query.metadata.creationTimestamp);
  const message = "canceled: spec.cancel is true";
  await writeStatus(deps, query, endedStatus(shown, { phase: "canceled", reason: QueryReasons.Canceled, message, durationMs: Date.now() - since }));
  if (enqueuedAt !== undefined && deps.metrics) countPhase(deps.metrics, query, "running");
  recordEvent(deps, query, "QueryCanceled", { reason: message });
  return expireWhenDue(deps, query);
}

async function finalize(deps: Context, query: Query, ref: BusQueryRef): Promise<void> {
  if (!query.metadata.finalizers?.includes(QUERY_FINALIZER)) return;
  if (!isFinishedQueryPhase(query.status?.phase)) await deps.bus.requestCancel(ref, "the query was deleted");
  deps.runs.stop(ref.queryUid);
  deps.written.record(await deps.ark.queries.removeFinalizer(ref.namespace, ref.name, QUERY_FINALIZER, query));
}

/**
 * Phase evaluating (docs/upstream-compat.md §6.8): the evaluators run beside the reconcile (QueryEvaluators); once all
 * answered, one status write records them and ends the query done. A restart or a new leader finds the query still
 * evaluating and calls them again: nothing was recorded before, so nothing is recorded twice.
 */
async function evaluate(deps: Context, query: Query, key: string): Promise<ReconcileResult | void> {
  const evaluators = deps.evaluators;
  const outcome = evaluators ? evaluators.poll(query, key) : { evaluations: [] };
  if (!outcome) return { requeueAfter: 60_000 };
  const failed = outcome.evaluations.filter((e) => e.metadata?.error !== undefined).length;
  const message = `the query finished; ${outcome.evaluations.length - failed} of ${outcome.evaluations.length} evaluators answered`;
  await writeStatus(deps, query, {
    ...query.status,
    phase: "done",
    message,
    evaluations: outcome.evaluations,
    ...(outcome.tokenUsage ? { evaluationTokenUsage: outcome.tokenUsage } : {}),
  });
  for (const e of outcome.evaluations) {
    const error = e.metadata?.error;
    recordEvent(deps, query, error === undefined ? "EvaluationComplete" : "EvaluationError", {
      evaluator: e.evaluatorName,
      ...(error === undefined ? { message: `score: ${e.score ?? ""}, passed: ${String(e.passed ?? false)}` } : { error }),
    });
  }
  return expireWhenDue(deps, query);
}

/** TTL applies to finished queries only. */
async function expireWhenDue(deps: Context, query: Query): Promise<ReconcileResult | void> {
  const remaining = timeOf(query.metadata.creationTimestamp) + parseDuration(query.spec.ttl) - Date.now();
  if (remaining > 0) return { requeueAfter: Math.min(remaining, MAX_REQUEUE_MS) };
  await deps.ark.queries.delete(query.metadata.namespace ?? "", query.metadata.name ?? "");
}

/** Writes what changed in the status (nothing when nothing did) and remembers the result for the next reconcile. */
async function writeStatus(deps: Context, query: Query, desired: QueryStatus): Promise<void> {
  deps.written.record(await patchStatus(deps.ark.queries, query, desired));
  if (deps.metrics && desired.phase && desired.phase !== query.status?.phase) countPhase(deps.metrics, query, desired.phase);
}

/** Counted once the write went through: a failed write is retried and counted then. */
function countPhase(metrics: NonNullable<QueryReconcilerDeps["metrics"]>, query: Query, phase: string): void {
  const labels = { phase, target_type: targetTypeOf(query.spec) };
  metrics.queries.inc(labels);
  if (isFinishedQueryPhase(phase)) metrics.queryDuration.observe(labels, Math.max(0, Date.now() - timeOf(query.metadata.creationTimestamp)) / 1000);
}

/** The job carries the Query as the cache has it, so the worker's first delivery skips a GET of it. */
/** Enqueues in the trace of the query's creator, so the run job's headers carry it on to the worker (docs/architecture.md §9). */
function enqueueRun(deps: Context, query: Query, job: QueryRunJob): Promise<unknown> {
  const attributes = querySpanAttributes({ namespace: job.namespace, name: job.name, queryUid: job.queryUid });
  return withSpan("query.enqueue", attributes, () => deps.bus.enqueueRun(job), { parent: queryTraceContext(query) });
}

function runJob(query: Query, ref: BusQueryRef, enqueuedAt: number, deadline: number): QueryRunJob {
  // Only ARK's own annotations: kubectl's last-applied-configuration would double the message.
  const annotations = Object.entries(query.metadata.annotations ?? {}).filter(([key]) => key.startsWith(`${GROUP}/`));
  return {
    ...ref,
    generation: query.metadata.generation ?? 0,
    enqueuedAt: new Date(enqueuedAt).toISOString(),
    deadline: new Date(deadline).toISOString(),
    query: {
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        uid: ref.queryUid,
        ...(annotations.length > 0 ? { annotations: Object.fromEntries(annotations) } : {}),
      },
      spec: query.spec,
    },
  };
}

function recordEvent(deps: Context, query: Query, reason: string, fields: Record<string, string>): void {
  const message = JSON.stringify({ name: query.metadata.name, namespace: query.metadata.namespace, ...fields });
  void deps.events.record(query, { type: "Normal", reason, message }).catch(() => undefined);
}
