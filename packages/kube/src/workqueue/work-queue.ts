import { backoffDelay, Fifo, type BackoffOptions } from "@ark/types";

export interface ProcessResult {
  /** Process the key again after this many milliseconds (requeue-after). */
  requeueAfter?: number;
}

export type ProcessKey = (key: string) => Promise<ProcessResult | void>;

export interface WorkQueueOptions {
  /** Keys processed at the same time; default 1. */
  concurrency?: number;
  /** Per-key retry delays after failures; default 100 ms doubling up to 5 minutes. */
  backoff?: BackoffOptions;
  /** Called when processing a key throws, with the delay before its retry. */
  onError?: (key: string, err: unknown, retryInMs: number) => void;
}

export interface WorkQueue {
  /** Starts the workers; keys added before wait until then. */
  start(): void;
  /** Queues the key unless it is already waiting; a key being processed is processed once more afterwards. */
  add(key: string): void;
  /** Adds the key after ms, keeping the earliest of several pending delays for one key. */
  addAfter(key: string, ms: number): void;
  /** Consecutive failures of the key so far (0 after a success). */
  failures(key: string): number;
  /** Keys waiting (not counting delayed ones or those being processed). */
  length(): number;
  /** Stops taking keys, drops delayed and waiting ones, and resolves once in-flight work has finished. */
  shutDown(): Promise<void>;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 100, maxMs: 300_000 };

/**
 * Keyed work queue as in client-go: waiting keys are deduplicated, one key is never processed by two workers at
 * once, at most `concurrency` keys run together, and a failing key is retried with per-key exponential backoff
 * that resets on success.
 */
export function createWorkQueue(process: ProcessKey, options: WorkQueueOptions = {}): WorkQueue {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const waiting = new Set<string>();
  /** Keys in the order they became ready (a controller starting on 100,000 objects queues them all at once). */
  const ready = new Fifo<string>();
  const processing = new Set<string>();
  const delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  const failureCounts = new Map<string, number>();
  let started = false;
  let shuttingDown = false;
  let drained: (() => void) | undefined;

  function add(key: string): void {
    if (shuttingDown || waiting.has(key)) return;
    waiting.add(key);
    if (!processing.has(key)) ready.push(key);
    pump();
  }

  function addAfter(key: string, ms: number): void {
    if (shuttingDown) return;
    if (ms <= 0) return add(key);
    const at = Date.now() + ms;
    const existing = delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      delayed.delete(key);
      add(key);
    }, ms);
    delayed.set(key, { at, timer });
  }

  function pump(): void {
    while (started && !shuttingDown && processing.size < concurrency && ready.length > 0) {
      const key = ready.shift() as string;
      waiting.delete(key);
      processing.add(key);
      void run(key);
    }
  }

  async function run(key: string): Promise<void> {
    try {
      const result = await process(key);
      failureCounts.delete(key);
      if (result?.requeueAfter !== undefined) addAfter(key, result.requeueAfter);
    } catch (err) {
      const failures = (failureCounts.get(key) ?? 0) + 1;
      failureCounts.set(key, failures);
      const retryInMs = backoffDelay(failures, backoff);
      options.onError?.(key, err, retryInMs);
      addAfter(key, retryInMs);
    } finally {
      processing.delete(key);
      if (waiting.has(key)) ready.push(key);
      if (shuttingDown && processing.size === 0) drained?.();
      pump();
    }
  }

  return {
    start() {
      started = true;
      pump();
    },
    add,
    addAfter,
    failures: (key) => failureCounts.get(key) ?? 0,
    length: () => ready.length,
    shutDown() {
      shuttingDown = true;
      for (const { timer } of delayed.values()) clearTimeout(timer);
      delayed.clear();
      waiting.clear();
      ready.clear();
      if (processing.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (drained = resolve));
    },
  };
}
