// Slow models: `count` queries created at once against a model answering in `latencyMs`, on the stack's default
// settings (WORKER_CONCURRENCY=auto). LLM work is waiting, not CPU: the makespan shows whether the worker runs them
// together. Two passes: the makespan from the bench's client process with nothing else going on, then the heap per
// query in flight in a second batch — the worker's heap after a full GC with many runs in flight, less its heap before,
// ÷ its runs in flight (the distributed stack's worker processes alone; the embedded stack's whole process). A heap
// read stops the worker for a full GC, so it is kept out of the makespan's pass.
import { createArkClient, createInformerCache, isFinishedQueryPhase, queryKind, type KubeConfig } from "./kit.js";
import type { WorkerHeap } from "./stacks.js";
import { round } from "./stats.js";

/** One batch's pass without heap reads, from the bench's client process. */
export interface SlowBatch {
  /** First create call to the last query seen finished. */
  makespanMs: number;
  /** First create call to the last create answered, and to half of the queries seen finished. */
  createdMs: number;
  halfFinishedMs: number;
  failed: number;
  /** Most queries seen running at once. */
  peakRunning: number;
}

export interface SlowModelResult extends SlowBatch {
  queries: number;
  modelLatencyMs: number;
  /** Kubernetes Events about the makespan pass's queries, once written (3 per query expected). */
  kubeEvents?: { written: number; expected: number };
  /** (worker heap with the most runs in flight − before) ÷ those runs, both after a full GC. */
  heapKbPerQueryInFlight?: number;
  /** Runs in flight in the worker when that heap was read. */
  heapReadAtRunning?: number;
}

/** Heap reads stop the worker for a full GC: one at a time, each at half as many queries running again as the last. */
const HEAP_READ_FROM = 200;
const HEAP_READ_GROWTH = 1.5;

/**
 * Creates `count` queries named `${prefix}-N` as fast as the API takes them (64 create calls at a time, none waiting
 * for an answer) and watches them to the last one finished; `running()` is told the number running at each change.
 */
export async function slowBatch(kc: KubeConfig, namespace: string, options: { count: number; prefix: string; running?: (running: number) => void }): Promise<SlowBatch> {
  const ark = createArkClient(kc);
  const informer = createInformerCache(kc, queryKind, { namespace });
  const phases = new Map<string, string>();
  let running = 0;
  let finished = 0;
  let failed = 0;
  let peakRunning = 0;
  let halfFinishedAt = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const onChange = (query: { metadata: { name?: string }; status?: { phase?: string } }) => {
    const name = query.metadata.name ?? "";
    if (!name.startsWith(`${options.prefix}-`)) return;
    const before = phases.get(name);
    const phase = query.status?.phase ?? "";
    if (before === phase || (before && isFinishedQueryPhase(before))) return;
    phases.set(name, phase);
    if (before === "running") running -= 1;
    if (phase === "running") peakRunning = Math.max(peakRunning, (running += 1));
    options.running?.(running);
    if (isFinishedQueryPhase(phase)) {
      finished += 1;
      if (phase !== "done") failed += 1;
      if (finished === Math.ceil(options.count / 2)) halfFinishedAt = performance.now();
      if (finished === options.count) allDone();
    }
  };
  informer.on("add", onChange);
  informer.on("update", onChange);
  await informer.start();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < options.count) {
        const name = `${options.prefix}-${next++}`;
        await ark.queries.create({ metadata: { name, namespace }, spec: { input: `question ${name}`, target: { type: "agent", name: "bench" } } });
      }
    }),
  );
  const createdMs = performance.now() - started;
  await done;
  const makespanMs = performance.now() - started;
  await informer.stop();
  return {
    makespanMs: round(makespanMs),
    createdMs: round(createdMs),
    halfFinishedMs: round(halfFinishedAt - started),
    failed,
    peakRunning,
  };
}

/** The heap pass: a second batch of `count`, the worker's heap read (full GC) as more and more of them run. */
export async function measureSlowModelHeap(
  kc: KubeConfig,
  namespace: string,
  options: { count: number; workerHeap: () => Promise<WorkerHeap> },
): Promise<Pick<SlowModelResult, "heapKbPerQueryInFlight" | "heapReadAtRunning">> {
  const heapBefore = (await options.workerHeap()).heapUsedBytes;
  let heapRead: WorkerHeap | undefined;
  let reading: Promise<unknown> | undefined;
  // Queries seen running at the last read: the trigger.
  let readAtRunning = 0;
  await slowBatch(kc, namespace, {
    count: options.count,
    prefix: "slowheap",
    running: (running) => {
      if (reading || running < Math.max(HEAP_READ_FROM, readAtRunning * HEAP_READ_GROWTH)) return;
      readAtRunning = running;
      reading = options
        .workerHeap()
        .then((read) => {
          if (read.runsInFlight > (heapRead?.runsInFlight ?? 0)) heapRead = read;
        })
        .finally(() => (reading = undefined));
    },
  });
  await reading;
  return heapRead ? { heapKbPerQueryInFlight: round((heapRead.heapUsedBytes - heapBefore) / heapRead.runsInFlight / 1024), heapReadAtRunning: heapRead.runsInFlight } : {};
}
