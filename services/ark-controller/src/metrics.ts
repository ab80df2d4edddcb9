import type { ReconcileObserver } from "@ark/kube";
import { queryTargets, type QueryEvent, type QuerySpec } from "@ark/types";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Seconds: from a fast mock call to a long agent run. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Seconds: a queue or a bus hand-off is fast unless something is backed up. */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What the controller's roles report now, read when /metrics is scraped. */
export interface ControllerGauges {
  /** Running queries whose events the reconciler follows. */
  trackedRuns(): number;
  /** Keys waiting in each reconciler's work queue, by controller name. */
  queueDepths(): Record<string, number>;
  /** Runs this worker is executing. */
  runsInFlight(): number;
  /** Queries in the reconciler's cache by phase and target type (empty without the reconciler role). */
  queriesByPhase(): Array<{ phase: string; target_type: string; count: number }>;
}

/**
 * What the controller reports on /metrics besides the HTTP defaults (docs/architecture.md §9.2). Labels are bounded:
 * phases, target types, outcomes, controller names, and the names of configured Models and Tools — never a query's name.
 */
export function createControllerMetrics(registry: Registry, gauges: ControllerGauges) {
  const registers = [registry];
  return {
    runs: new Counter({
      name: "ark_query_runs_total",
      help: "Query runs a worker finished, by outcome (completed, failed, canceled).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    runSeconds: new Histogram({
      name: "ark_query_run_duration_seconds",
      help: "Wall time of query runs in a worker.",
      buckets: DURATION_BUCKETS,
      registers,
    }),
    trackedRuns: new Gauge({
      name: "ark_query_runs_tracked",
      help: "Running queries whose events the reconciler follows.",
      registers,
      collect() {
        this.set(gauges.trackedRuns());
      },
    }),
    runsInFlight: new Gauge({
      name: "ark_worker_runs_in_flight",
      help: "Query runs this worker is executing.",
      registers,
      collect() {
        this.set(gauges.runsInFlight());
      },
    }),
    queriesNow: new Gauge({
      name: "ark_queries",
      help: "Queries that exist now, by phase (none: not yet picked up) and target type, from the reconciler's cache.",
      labelNames: ["phase", "target_type"] as const,
      registers,
      collect() {
        this.reset();
        for (const { phase, target_type, count } of gauges.queriesByPhase()) this.set({ phase, target_type }, count);
      },
    }),
    queries: new Counter({
      name: "ark_queries_total",
      help: "Queries the reconciler moved into a phase (pending, running, evaluating, done, error, canceled), by target type.",
      labelNames: ["phase", "target_type"] as const,
      registers,
    }),
    queryDuration: new Histogram({
      name: "ark_query_duration_seconds",
      help: "From a query's creation to its terminal phase (done, error, canceled), by phase and target type.",
      labelNames: ["phase", "target_type"] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    queueTime: new Histogram({
      name: "ark_query_queue_seconds",
      help: "From the reconciler enqueueing a query's run to a worker starting it (first delivery), by target type.",
      labelNames: ["target_type"] as const,
      buckets: LAG_BUCKETS,
      registers,
    }),
    modelCalls: new Histogram({
      name: "ark_model_call_duration_seconds",
      help: "Model call latency, by model (the Model resource namespace/name) and outcome (success, error).",
      labelNames: ["model", "outcome"] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    modelTokens: new Counter({
      name: "ark_model_tokens_total",
      help: "Tokens the model calls used, by model and direction (input, output).",
      labelNames: ["model", "direction"] as const,
      registers,
    }),
    toolCalls: new Counter({
      name: "ark_tool_calls_total",
      help: "Tool calls, by tool name and outcome (success, error).",
      labelNames: ["tool", "outcome"] as const,
      registers,
    }),
    toolDuration: new Histogram({
      name: "ark_tool_call_duration_seconds",
      help: "Tool call latency, by tool name.",
      labelNames: ["tool"] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    busLag: new Histogram({
      name: "ark_bus_delivery_lag_seconds",
      help: "From the bus accepting a message to this process receiving it, by kind (run: a run job's first delivery; event: a query event).",
      labelNames: ["kind"] as const,
      buckets: LAG_BUCKETS,
      registers,
    }),
    busRedeliveries: new Counter({
      name: "ark_bus_redeliveries_total",
      help: "Run jobs delivered again (a worker died, timed out or failed the run).",
      registers,
    }),
    queueDepth: new Gauge({
      name: "ark_workqueue_depth",
      help: "Keys waiting in a reconciler's work queue, by controller.",
      labelNames: ["controller"] as const,
      registers,
      collect() {
        this.reset();
        for (const [controller, depth] of Object.entries(gauges.queueDepths())) this.set({ controller }, depth);
      },
    }),
    reconcileDuration: new Histogram({
      name: "ark_reconcile_duration_seconds",
      help: "Reconcile latency, by controller.",
      labelNames: ["controller"] as const,
      buckets: LAG_BUCKETS,
      registers,
    }),
    reconcileErrors: new Counter({
      name: "ark_reconcile_errors_total",
      help: "Reconciles that failed (retried with backoff), by controller.",
      labelNames: ["controller"] as const,
      registers,
    }),
  };
}

export type ControllerMetrics = ReturnType<typeof createControllerMetrics>;

/** Counts queries by phase and target type. */
export function countQueriesByPhase(queries: Iterable<{ spec: QuerySpec; status?: { phase?: string } | undefined }>): Array<{ phase: string; target_type: string; count: number }> {
  const counts = new Map<string, { phase: string; target_type: string; count: number }>();
  for (const query of queries) {
    const phase = query.status?.phase || "none";
    const target_type = targetTypeOf(query.spec);
    const key = `${phase}/${target_type}`;
    const entry = counts.get(key) ?? { phase, target_type, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** The reconcilers' latency and errors. */
export function reconcileObserver(metrics: Pick<ControllerMetrics, "reconcileDuration" | "reconcileErrors">): ReconcileObserver {
  return {
    reconciled(controller, seconds, failed) {
      metrics.reconcileDuration.observe({ controller }, seconds);
      if (failed) metrics.reconcileErrors.inc({ controller });
    },
  };
}

/**
 * A query's target type as a bounded label: agent, team, model or tool; `mixed` for several types; `selector` when only
 * a label selector picks the targets.
 */
export function targetTypeOf(spec: Pick<QuerySpec, "target" | "targets" | "selector"> | undefined): string {
  const types = new Set(queryTargets(spec ?? {}).map((t) => t.type));
  if (types.size === 0) return spec?.selector ? "selector" : "none";
  return types.size === 1 ? [...types][0]! : "mixed";
}

/**
 * The tool label: the name of a tool the agent has, `unknown` for a name the model made up (the engine answers
 * `tool <name> not found`), so a model cannot add label values at will.
 */
function toolLabel(toolName: string, error: string | undefined): string {
  return error === `tool ${toolName} not found` ? "unknown" : toolName;
}

/** Model and tool metrics from the run's own events, so every engine (and every target type) is counted the same way. */
export function observeRunEvent(metrics: Pick<ControllerMetrics, "modelCalls" | "modelTokens" | "toolCalls" | "toolDuration">, event: QueryEvent): void {
  switch (event.type) {
    case "llm.call.completed":
      metrics.modelCalls.observe({ model: event.model, outcome: "success" }, event.durationMs / 1000);
      metrics.modelTokens.inc({ model: event.model, direction: "input" }, event.tokenUsage.promptTokens);
      metrics.modelTokens.inc({ model: event.model, direction: "output" }, event.tokenUsage.completionTokens);
      return;
    case "llm.call.failed":
      metrics.modelCalls.observe({ model: event.model, outcome: "error" }, event.durationMs / 1000);
      return;
    case "tool.call.completed": {
      const tool = toolLabel(event.toolName, event.error);
      metrics.toolCalls.inc({ tool, outcome: event.isError ? "error" : "success" });
      metrics.toolDuration.observe({ tool }, event.durationMs / 1000);
      return;
    }
    default:
      return;
  }
}
