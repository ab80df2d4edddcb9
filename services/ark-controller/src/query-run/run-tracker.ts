import { setTimeout as delay } from "node:timers/promises";
import { watchSawAllEvents, type QueryBus } from "@ark/bus";
import type { Log } from "@ark/service-kit";
import { backoffDelay, type BusEventEnvelope, type BusQueryRef, type QueryEvent } from "@ark/types";
import { RunRecord } from "./run-record.js";

export interface RunTrackerOptions {
  bus: QueryBus<QueryEvent>;
  /** Called for each event as it arrives; `replayed` is true for events older than the follow (a restart catching up). */
  onEvent(ref: BusQueryRef, event: QueryEvent, replayed: boolean): void;
  /** Called once the run's terminal event is in its record: the reconciler writes the final status. */
  onFinished(ref: BusQueryRef): void;
  /** Called with how long each live event took from the bus accepting it to arriving here. */
  deliveryLag?(seconds: number): void;
  log: Log;
}

interface Followed {
  ref: BusQueryRef;
  record: RunRecord;
  stopped: boolean;
  /** Ends a catch-up's bus read and retries; only a follow that catches up has one (an abort costs an Error). */
  abort: AbortController | undefined;
  /** When the follow began: older events are replayed ones. */
  since: number;
  /** The last event applied; anything at or below it is a duplicate (seen both live and in the catch-up). */
  lastSeq: number;
  /** Live events held back while the catch-up reads what came before the follow; undefined once caught up. */
  pending: Array<BusEventEnvelope<QueryEvent>> | undefined;
}

export interface FollowOptions {
  /** The query's creation time: a query created after the bus watch went live has no events the watch missed. */
  createdAt?: number;
}

/**
 * Follows the events of the runs this controller is responsible for, keeping what the final status needs.
 * One bus-wide watch serves every run. A run the watch may have missed events of (a query older than the watch:
 * a restarted controller adopting it, or a run enqueued before a crash) gets a catch-up read first, and one only
 * when it already has events, so a restart still sees everything; a query created after the watch went live needs none.
 */
export class RunTracker {
  private readonly runs = new Map<string, Followed>();
  private watch: Promise<() => void> | undefined;
  /** When the current bus watch went live (Date.now()), undefined until it has. */
  private liveSince: number | undefined;

  constructor(private readonly options: RunTrackerOptions) {}

  /** Starts following unless already following. */
  follow(ref: BusQueryRef, options: FollowOptions = {}): RunRecord {
    const existing = this.runs.get(ref.queryUid);
    if (existing) return existing.record;
    const watchSawEverything = watchSawAllEvents(this.liveSince, options.createdAt);
    const followed: Followed = {
      ref,
      record: new RunRecord(),
      stopped: false,
      abort: watchSawEverything ? undefined : new AbortController(),
      since: Date.now(),
      lastSeq: 0,
      pending: watchSawEverything ? undefined : [],
    };
    this.runs.set(ref.queryUid, followed);
    // A live watch (liveSince set) already serves a run that needs no catch-up.
    if (!watchSawEverything) void this.catchUp(followed);
    return followed.record;
  }

  get(queryUid: string): RunRecord | undefined {
    return this.runs.get(queryUid)?.record;
  }

  stop(queryUid: string): void {
    const followed = this.runs.get(queryUid);
    if (!followed) return;
    followed.stopped = true;
    followed.abort?.abort();
    this.runs.delete(queryUid);
  }

  /** Stops following every run of the named query (it is gone, whatever its uid was); returns those not finished. */
  stopQuery(namespace: string, name: string): BusQueryRef[] {
    const unfinished: BusQueryRef[] = [];
    for (const [uid, followed] of this.runs) {
      if (followed.ref.namespace !== namespace || followed.ref.name !== name) continue;
      if (!followed.record.terminal) unfinished.push(followed.ref);
      this.stop(uid);
    }
    return unfinished;
  }

  /** Stops following every run and closes the bus watch (a new follow opens it again). */
  stopAll(): void {
    for (const uid of this.runs.keys()) this.stop(uid);
    const watch = this.watch;
    this.watch = undefined;
    this.liveSince = undefined;
    void watch?.then(
      (unwatch) => unwatch(),
      () => undefined,
    );
  }

  get size(): number {
    return this.runs.size;
  }

  private watching(): Promise<unknown> {
    if (!this.watch) {
      const watch = this.options.bus.watchEvents((envelope) => this.onLive(envelope), {
        onError: (err) => this.options.log.warn({ err }, "watching query events: the bus recovered from a problem"),
      });
      this.watch = watch;
      watch.then(
        () => {
          if (this.watch === watch) this.liveSince ??= Date.now();
        },
        () => {
          if (this.watch === watch) this.watch = undefined;
        },
      );
    }
    return this.watch;
  }

  private onLive(envelope: BusEventEnvelope<QueryEvent>): void {
    this.options.deliveryLag?.(Math.max(0, Date.now() - Date.parse(envelope.time)) / 1000);
    const followed = this.runs.get(envelope.queryUid);
    if (!followed) return;
    if (followed.pending) followed.pending.push(envelope);
    else this.apply(followed, envelope);
  }

  private apply(followed: Followed, envelope: BusEventEnvelope<QueryEvent>): void {
    if (envelope.seq <= followed.lastSeq || followed.record.terminal || followed.stopped) return;
    followed.lastSeq = envelope.seq;
    followed.record.apply(envelope.event);
    this.options.onEvent(followed.ref, envelope.event, Date.parse(envelope.time) < followed.since);
    if (followed.record.terminal) this.options.onFinished(followed.ref);
  }

  /** Once the watch is on: reads what the run published before it (if anything), then applies the held-back live events. */
  private async catchUp(followed: Followed): Promise<void> {
    const { ref } = followed;
    const signal = (followed.abort ??= new AbortController()).signal;
    for (let failures = 0; !signal.aborted;) {
      try {
        await this.watching();
        const last = await this.options.bus.lastEvent(ref);
        if (last && last.seq > followed.lastSeq) {
          for await (const envelope of this.options.bus.readEvents(ref, { follow: false, afterSeq: followed.lastSeq, signal })) {
            this.apply(followed, envelope);
          }
        }
        if (signal.aborted) return;
        const pending = followed.pending ?? [];
        followed.pending = undefined;
        for (const envelope of pending) this.apply(followed, envelope);
        return;
      } catch (err) {
        if (signal.aborted) return;
        failures += 1;
        this.options.log.warn({ err, query: `${ref.namespace}/${ref.name}` }, "reading query events failed; retrying");
        await delay(backoffDelay(failures, { baseMs: 200, maxMs: 10_000 }), undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
