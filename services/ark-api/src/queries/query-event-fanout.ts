import { watchSawAllEvents, type QueryBus } from "@ark/bus";
import type { BusEventEnvelope } from "@ark/types";

type Listener = (envelope: BusEventEnvelope) => void;

interface Logger {
  warn(obj: object, message: string): void;
}

export interface QueryEventFanoutOptions {
  /** What the recent events kept for replay may take, counted as the bus stores them (JSON bytes); 0 keeps none. */
  recentBytes?: number;
}

/** ark-api's EVENT_REPLAY_MB default: the events of thousands of recent queries (a short answer's run is ≈ 1–2 KB). */
const DEFAULT_RECENT_BYTES = 8 * 1024 * 1024;
/** Queries whose kept events were dropped, remembered so their streams read the bus (≈ 100 bytes each). */
const MAX_DROPPED = 50_000;

interface Recent {
  events: BusEventEnvelope[];
  bytes: number;
}

/**
 * One bus watch of every query's events (QueryBus.watchEvents) for all of ark-api's event streams: a stream subscribes
 * to its query's live events here instead of opening a bus consumer of its own (on JetStream one ordered consumer
 * created, described and deleted per stream). Opened on the first subscription and kept open.
 *
 * It also keeps the events it saw of recent queries (oldest query dropped first, within `recentBytes`): a stream replays
 * them from here, not from the bus, when they are all there were — the query was created after the watch went live
 * and none of its events were dropped — or when they begin at the first event the bus still holds for it
 * (docs/architecture.md §3).
 */
export class QueryEventFanout {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** By query uid, in the order their first event arrived. */
  private readonly recent = new Map<string, Recent>();
  private recentTotal = 0;
  private readonly recentBytes: number;
  /** Queries whose kept events were dropped for the budget (at most MAX_DROPPED; past that, liveSince moves on). */
  private readonly dropped = new Set<string>();
  /** Since when (Date.now()) the watch has seen every event without a gap and dropped none it could not name. */
  private liveSince: number | undefined;
  private opening: Promise<void> | undefined;
  private stopWatch: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly bus: QueryBus,
    private readonly log: Logger,
    options: QueryEventFanoutOptions = {},
  ) {
    this.recentBytes = options.recentBytes ?? DEFAULT_RECENT_BYTES;
  }

  /** Calls `listener` with the query's events published after the returned promise resolves, in seq order; returns the unsubscribe. */
  async subscribe(queryUid: string, listener: Listener): Promise<() => void> {
    if (this.closed) throw new Error("ark-api is shutting down");
    const set = this.listeners.get(queryUid) ?? new Set();
    set.add(listener);
    this.listeners.set(queryUid, set);
    const unsubscribe = () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(queryUid) === set) this.listeners.delete(queryUid);
    };
    try {
      await this.open();
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  /**
   * Every event the query has had so far (none, for one that has not started), when the watch saw them all: it was
   * live before the query was created (`createdAt`, epoch ms) and kept all of them. Undefined otherwise: ask the bus.
   */
  allEvents(queryUid: string, createdAt: number | undefined): BusEventEnvelope[] | undefined {
    if (this.recentBytes <= 0 || this.dropped.has(queryUid) || !watchSawAllEvents(this.liveSince, createdAt)) return undefined;
    return [...(this.recent.get(queryUid)?.events ?? [])];
  }

  /**
   * The query's events seen so far, when they begin at `firstSeq` (the first event the bus holds for it): then nothing
   * before them is missing, and the watch has no gaps. Undefined otherwise (seen since the middle, or dropped): read the bus.
   */
  recentEvents(queryUid: string, firstSeq: number): BusEventEnvelope[] | undefined {
    const recent = this.recent.get(queryUid);
    if (!recent || recent.events[0]?.seq !== firstSeq) return undefined;
    return [...recent.events];
  }

  /** How many streams follow the query now. */
  subscribers(queryUid: string): number {
    return this.listeners.get(queryUid)?.size ?? 0;
  }

  close(): void {
    this.closed = true;
    this.stopWatch?.();
    this.listeners.clear();
    this.forgetRecent();
  }

  private open(): Promise<void> {
    this.opening ??= this.bus
      .watchEvents((envelope, storedBytes) => this.deliver(envelope, storedBytes), {
        onError: (err) => {
          // A watch that had to recover may have skipped events (dropped by the bus's retention meanwhile): what was
          // kept can no longer stand for the bus.
          this.forgetRecent();
          this.liveSince = Date.now();
          this.log.warn({ err }, "query event watch for event streams");
        },
      })
      .then(
        (stop) => {
          this.stopWatch = stop;
          this.liveSince ??= Date.now();
          if (this.closed) stop();
        },
        (err: unknown) => {
          // The next subscription tries again; this one reports the failure.
          this.opening = undefined;
          throw err;
        },
      );
    return this.opening;
  }

  private deliver(envelope: BusEventEnvelope, storedBytes: number): void {
    this.remember(envelope, storedBytes);
    const set = this.listeners.get(envelope.queryUid);
    if (set) for (const listener of set) listener(envelope);
  }

  private remember(envelope: BusEventEnvelope, storedBytes: number): void {
    if (this.recentBytes <= 0) return;
    let recent = this.recent.get(envelope.queryUid);
    if (!recent) {
      recent = { events: [], bytes: 0 };
      this.recent.set(envelope.queryUid, recent);
    }
    recent.events.push(envelope);
    recent.bytes += storedBytes;
    this.recentTotal += storedBytes;
    // Whole queries, oldest first: a query's kept events are all it had or none (one larger than the budget goes too).
    for (const [queryUid, oldest] of this.recent) {
      if (this.recentTotal <= this.recentBytes) break;
      this.recent.delete(queryUid);
      this.recentTotal -= oldest.bytes;
      this.dropped.add(queryUid);
      if (this.dropped.size > MAX_DROPPED) {
        // Too many to name: every query created before now may have lost events here.
        this.dropped.clear();
        this.liveSince = Date.now();
      }
    }
  }

  private forgetRecent(): void {
    this.recent.clear();
    this.recentTotal = 0;
  }
}
