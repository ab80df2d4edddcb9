import { Fifo, runJobKey, type QueryRunJob } from "@ark/types";
import type { RunDelivery } from "../run-delivery.js";
import { EXHAUSTION_DELIVERIES, type RunSettings } from "../run-settings.js";

interface QueuedJob {
  job: QueryRunJob;
  deliveries: number;
}

/** A consumer as the queue sees it: how many more it takes, and where to hand them. */
export interface RunTap {
  free(): number;
  deliver(delivery: RunDelivery): void;
}

/** The work queue in one process, with JetStream's rules: explicit ack, ack wait, nak delay, dedupe window. */
export class MemoryRunQueue {
  private readonly ready = new Fifo<QueuedJob>();
  private readonly taps: RunTap[] = [];
  private readonly recentUids = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextTap = 0;
  private closed = false;

  constructor(private readonly settings: RunSettings) {}

  enqueue(job: QueryRunJob): { duplicate: boolean } {
    const now = Date.now();
    for (const [uid, expiresAt] of this.recentUids) {
      if (expiresAt > now) break;
      this.recentUids.delete(uid);
    }
    if (this.recentUids.has(runJobKey(job))) return { duplicate: true };
    this.recentUids.set(runJobKey(job), now + this.settings.duplicateWindowMs);
    this.ready.push({ job, deliveries: 0 });
    this.pump();
    return { duplicate: false };
  }

  attach(tap: RunTap): void {
    this.taps.push(tap);
    this.pump();
  }

  detach(tap: RunTap): void {
    const index = this.taps.indexOf(tap);
    if (index >= 0) this.taps.splice(index, 1);
  }

  /** Hands ready jobs to taps with free slots, round robin. */
  pump(): void {
    while (this.ready.length > 0 && !this.closed) {
      const tap = this.pickTap();
      if (!tap) return;
      const queued = this.ready.shift() as QueuedJob;
      queued.deliveries += 1;
      tap.deliver(this.delivery(queued));
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private pickTap(): RunTap | undefined {
    for (let i = 0; i < this.taps.length; i++) {
      const tap = this.taps[(this.nextTap + i) % this.taps.length] as RunTap;
      if (tap.free() > 0) {
        this.nextTap = (this.nextTap + i + 1) % this.taps.length;
        return tap;
      }
    }
    return undefined;
  }

  private delivery(queued: QueuedJob): RunDelivery {
    let settled = false;
    const settle = () => {
      settled = true;
      this.clear(ackTimer);
    };
    const ackTimer = this.after(this.settings.ackWaitMs, () => {
      if (settled) return;
      settle();
      this.requeue(queued, 0);
    });
    return {
      job: queued.job,
      attempt: queued.deliveries,
      ack: () => {
        if (!settled) settle();
      },
      nak: (delayMs) => {
        if (settled) return;
        settle();
        this.requeue(queued, delayMs);
      },
      working: () => {
        if (!settled) ackTimer.refresh();
      },
    };
  }

  private requeue(queued: QueuedJob, delayMs: number): void {
    if (queued.deliveries >= this.settings.maxDeliver + EXHAUSTION_DELIVERIES) return;
    const back = () => {
      this.ready.push(queued);
      this.pump();
    };
    if (delayMs > 0) this.after(delayMs, back);
    else queueMicrotask(back);
  }

  private after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private clear(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }
}
