import { setTimeout as delay } from "node:timers/promises";
import { RunAbortedError } from "./run-aborted.js";

/** One handler in flight. `abandoned` runs are never acked: the bus lets their ack wait expire. */
export interface InFlightRun {
  readonly queryUid: string;
  readonly abort: AbortController;
  abandoned: boolean;
}

/** In-flight runs of one consumer: the concurrency limit, cancel dispatch and shutdown. */
export class RunSlots {
  private readonly runs = new Map<InFlightRun, Promise<void>>();
  private waiters: Array<() => void> = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`bus: concurrency must be an integer >= 1, got ${concurrency}`);
    }
  }

  get size(): number {
    return this.runs.size;
  }

  get free(): number {
    return this.concurrency - this.runs.size;
  }

  whenFree(): Promise<void> {
    if (this.free > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Releases whoever waits for a free slot (used on close). */
  wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  track(queryUid: string, execute: (run: InFlightRun) => Promise<void>): void {
    const run: InFlightRun = { queryUid, abort: new AbortController(), abandoned: false };
    const done = Promise.resolve()
      .then(() => execute(run))
      .finally(() => {
        this.runs.delete(run);
        this.wakeAll();
      });
    this.runs.set(run, done);
  }

  cancel(queryUid: string, reason: string): void {
    for (const run of this.runs.keys()) {
      if (run.queryUid === queryUid && !run.abort.signal.aborted) {
        run.abort.abort(new RunAbortedError("canceled", reason));
      }
    }
  }

  /** Waits for in-flight runs up to graceMs, then abandons the rest. */
  async settle(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.runs.size > 0 && graceMs > 0) {
      const all = Promise.allSettled(this.runs.values());
      if (graceMs === Number.POSITIVE_INFINITY) await all;
      else {
        const grace = new AbortController();
        await Promise.race([all, delay(graceMs, undefined, { signal: grace.signal })]);
        grace.abort();
      }
    }
    for (const run of this.runs.keys()) {
      run.abandoned = true;
      if (!run.abort.signal.aborted) run.abort.abort(new RunAbortedError("shutdown", "the query worker is stopping"));
    }
  }
}
