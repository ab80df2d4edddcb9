import type { QueryBus } from "@ark/bus";
import { backoffDelay } from "@ark/kube";
import type { Log } from "@ark/service-kit";
import type { BusQueryRef, QueryEvent } from "@ark/types";
import { RunRecord } from "./run-record.js";

export interface RunTrackerOptions {
  bus: QueryBus<QueryEvent>;
  /** Called for each event as it arrives; `replayed` is true for events older than the follow (a restart catching up). */
  onEvent(ref: BusQueryRef, event: QueryEvent, replayed: boolean): void;
  /** Called once the run's terminal event is in its record: the reconciler writes the final status. */
  onFinished(ref: BusQueryRef): void;
  log: Log;
}

interface Followed {
  ref: BusQueryRef;
  record: RunRecord;
  abort: AbortController;
}

/**
 * Follows the event streams of the runs this controller is responsible for, from their first event (so a
 * restarted controller catches up), keeping what the final status needs. One stream per running query.
 */
export class RunTracker {
  private readonly runs = new Map<string, Followed>();

  constructor(private readonly options: RunTrackerOptions) {}

  /** Starts following unless already following. */
  follow(ref: BusQueryRef): RunRecord {
    const existing = this.runs.get(ref.queryUid);
    if (existing) return existing.record;
    const followed: Followed = { ref, record: new RunRecord(), abort: new AbortController() };
    this.runs.set(ref.queryUid, followed);
    void this.read(ref, followed);
    return followed.record;
  }

  get(queryUid: string): RunRecord | undefined {
    return this.runs.get(queryUid)?.record;
  }

  stop(queryUid: string): void {
    this.runs.get(queryUid)?.abort.abort();
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

  stopAll(): void {
    for (const uid of [...this.runs.keys()]) this.stop(uid);
  }

  get size(): number {
    return this.runs.size;
  }

  private async read(ref: BusQueryRef, followed: Followed): Promise<void> {
    const { signal } = followed.abort;
    const since = Date.now();
    let afterSeq = 0;
    for (let failures = 0; !signal.aborted && !followed.record.terminal; ) {
      try {
        for await (const envelope of this.options.bus.readEvents(ref, { follow: true, afterSeq, signal })) {
          afterSeq = envelope.seq;
          failures = 0;
          const event = envelope.event;
          followed.record.apply(event);
          this.options.onEvent(ref, event, Date.parse(envelope.time) < since);
          if (followed.record.terminal) break;
        }
        if (!signal.aborted && !followed.record.terminal) throw new Error("the event stream ended before the run did");
      } catch (err) {
        if (signal.aborted) return;
        failures += 1;
        this.options.log.warn({ err, query: `${ref.namespace}/${ref.name}` }, "reading query events failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(failures, { baseMs: 200, maxMs: 10_000 })));
      }
    }
    if (followed.record.terminal && !signal.aborted) this.options.onFinished(ref);
  }
}
