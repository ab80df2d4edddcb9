// Slow models: `count` queries created at once against a model answering in `latencyMs`, on the stack's default
// settings (WORKER_CONCURRENCY=auto). LLM work is waiting, not CPU: the makespan shows whether the worker runs them
// together. Heap per query in flight is read in this process (the embedded stack's, which holds the worker too).
import { getHeapStatistics } from "node:v8";
import { createArkClient, createInformerCache, isFinishedQueryPhase, queryKind, type KubeConfig } from "./kit.js";
import { round } from "./stats.js";

export interface SlowModelResult {
  queries: number;
  modelLatencyMs: number;
  /** First create call to the last query seen finished. */
  makespanMs: number;
  failed: number;
  /** Most queries seen running at once. */
  peakRunning: number;
  /** (heap at the peak − heap before) ÷ queries running then; only when the worker is in this process. */
  heapKbPerQueryInFlight?: number;
}

export async function measureSlowModel(
  kc: KubeConfig,
  namespace: string,
  options: { count: number; modelLatencyMs: number; workerInProcess: boolean },
): Promise<SlowModelResult> {
  const ark = createArkClient(kc);
  const informer = createInformerCache(kc, queryKind, { namespace });
  const phases = new Map<string, string>();
  let running = 0;
  let finished = 0;
  let failed = 0;
  let peakRunning = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const onChange = (query: { metadata: { name?: string }; status?: { phase?: string } }) => {
    const name = query.metadata.name ?? "";
    if (!name.startsWith("slow-")) return;
    const before = phases.get(name);
    const phase = query.status?.phase ?? "";
    if (before === phase || (before && isFinishedQueryPhase(before))) return;
    phases.set(name, phase);
    if (before === "running") running -= 1;
    if (phase === "running") peakRunning = Math.max(peakRunning, (running += 1));
    if (isFinishedQueryPhase(phase)) {
      finished += 1;
      if (phase !== "done") failed += 1;
      if (finished === options.count) allDone();
    }
  };
  informer.on("add", onChange);
  informer.on("update", onChange);
  await informer.start();
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = getHeapStatistics().used_heap_size;
  let heapAtPeak = heapBefore;
  let runningAtPeak = 0;
  const sampler = setInterval(() => {
    const used = getHeapStatistics().used_heap_size;
    if (running > runningAtPeak || (running === runningAtPeak && used > heapAtPeak)) {
      runningAtPeak = running;
      heapAtPeak = used;
    }
  }, 50);
  const started = performance.now();
  let next = 0;
  // Created as fast as the API takes them (64 create calls at a time), none waiting for an answer.
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < options.count) {
        const name = `slow-${next++}`;
        await ark.queries.create({ metadata: { name, namespace }, spec: { input: `question ${name}`, target: { type: "agent", name: "bench" } } });
      }
    }),
  );
  await done;
  const makespanMs = performance.now() - started;
  clearInterval(sampler);
  await informer.stop();
  return {
    queries: options.count,
    modelLatencyMs: options.modelLatencyMs,
    makespanMs: round(makespanMs),
    failed,
    peakRunning,
    ...(options.workerInProcess && runningAtPeak > 0 ? { heapKbPerQueryInFlight: round((heapAtPeak - heapBefore) / runningAtPeak / 1024) } : {}),
  };
}
