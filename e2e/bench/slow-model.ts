// Slow models: `count` queries created at once against a model answering in `latencyMs`, on the stack's default
// settings (WORKER_CONCURRENCY=auto). LLM work is waiting, not CPU: the makespan shows whether the worker runs them
// together. Heap per query in flight: the worker's heap after a full GC with many runs in flight, less its heap
// before, ÷ its runs in flight (the distributed stack's worker processes alone; the embedded stack's whole process).
import { createArkClient, createInformerCache, isFinishedQueryPhase, queryKind, type KubeConfig } from "./kit.js";
import type { WorkerHeap } from "./stacks.js";
import { round } from "./stats.js";

export interface SlowModelResult {
  queries: number;
  modelLatencyMs: number;
  /** First create call to the last query seen finished. */
  makespanMs: number;
  failed: number;
  /** Most queries seen running at once. */
  peakRunning: number;
  /** (worker heap with the most runs in flight − before) ÷ those runs, both after a full GC. */
  heapKbPerQueryInFlight?: number;
  /** Runs in flight in the worker when that heap was read. */
  heapReadAtRunning?: number;
}

/** Heap reads stop the worker for a full GC: one at a time, each at half as many queries running again as the last. */
const HEAP_READ_FROM = 200;
const HEAP_READ_GROWTH = 1.5;

export async function measureSlowModel(kc: KubeConfig, namespace: string, options: { count: number; modelLatencyMs: number; workerHeap: () => Promise<WorkerHeap> }): Promise<SlowModelResult> {
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
  const heapBefore = (await options.workerHeap()).heapUsedBytes;
  let heapRead: WorkerHeap | undefined;
  let reading: Promise<unknown> | undefined;
  // Queries seen running at the last read: the trigger (a read stops the worker for a full GC).
  let readAtRunning = 0;
  const sampler = setInterval(() => {
    if (reading || running < Math.max(HEAP_READ_FROM, readAtRunning * HEAP_READ_GROWTH)) return;
    readAtRunning = running;
    reading = options
      .workerHeap()
      .then((read) => {
        if (read.runsInFlight > (heapRead?.runsInFlight ?? 0)) heapRead = read;
      })
      .finally(() => (reading = undefined));
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
  await reading;
  await informer.stop();
  return {
    queries: options.count,
    modelLatencyMs: options.modelLatencyMs,
    makespanMs: round(makespanMs),
    failed,
    peakRunning,
    ...(heapRead ? { heapKbPerQueryInFlight: round((heapRead.heapUsedBytes - heapBefore) / heapRead.runsInFlight / 1024), heapReadAtRunning: heapRead.runsInFlight } : {}),
  };
}
