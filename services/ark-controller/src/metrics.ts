import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** What the controller reports on /metrics besides the HTTP defaults. */
export function createControllerMetrics(registry: Registry, trackedRuns: () => number) {
  return {
    runs: new Counter({
      name: "ark_query_runs_total",
      help: "Query runs a worker finished, by outcome (completed, failed, canceled).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    runSeconds: new Histogram({
      name: "ark_query_run_duration_seconds",
      help: "Wall time of query runs in a worker.",
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    trackedRuns: new Gauge({
      name: "ark_query_runs_tracked",
      help: "Running queries whose events the reconciler follows.",
      registers: [registry],
      collect() {
        this.set(trackedRuns());
      },
    }),
  };
}

export type ControllerMetrics = ReturnType<typeof createControllerMetrics>;
