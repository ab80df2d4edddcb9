import { watchSawAllEvents, type QueryBus } from "@ark/bus";
import type { BusEventEnvelope } from "@ark/types";

type Listener = (envelope: BusEventEnvelope) => void;

interface Logger {
  warn(obj: object, message: string): void;
}

export interface QueryEventFanoutOptions {
  /** What the recent events kept for replay may take, counted as the bus stores them (JSON bytes); 0 keeps none. */
  recentBytes?: number;
  /** How long the watch stays open with no stream following any query (default IDLE_CLOSE_MS). */
  idleCloseMs?: number;
}

/** ark-api's EVENT_REPLAY_MB default: the events of thousands of recent queries (a short answer's run is ≈ 1–2 KB). */
const DEFAULT_RECENT_BYTES = 8 * 1024 * 1024;
/** Queries whose kept events were dropped, remembered so their streams read the bus (≈ 100 bytes each). */
const MAX_DROPPED = 50_000;
/**
 * The watch closes after this long with no stream: it receives every query's events (≈ 6 a query) whether or not anyone
 * follows them, which a deployment whose clients use the Kubernetes API or `?wait=` would otherwise pay for forever.
 */
const IDLE_CLOSE_MS = 60_000;

interface Recent {
  events: BusEventEnvelope[];
  bytes: number;
}

/**
 * One bus watch of every query's events (QueryBus.watchEvents) for all of ark-api's event streams: a stream subscribes
 * to its query's live events here instead of opening a bus consumer of its own (on JetStream one ordered consumer
 * created, described and deleted per stream). Opened on the first subscription and kept open while streams come; closed
 * after `idleCloseMs` with none (what it kept goes with it), opened again by the next.
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
  /** Counts the watches opened: a late callback of one closed for idleness is not taken for the current one's. */
  private generation = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleCloseMs: number;
  private closed = false;

  constructor(
    private readonly bus: QueryBus,
    private readonly log: Logger,
    options: QueryEventFanoutOptions = {},
  ) {
    this.recentBytes = options.recentBytes ?? DEFAULT_RECENT_BYTES;
    this.idleCloseMs = options.idleCloseMs ?? IDLE_CLOSE_MS;
  }

  /** Calls `listener` with the query's events published after the returned promise resolves, in seq order; returns the unsubscribe. */
  async subscribe(queryUid: string, listener: Listener): Promise<() => void> {
    if (this.closed) throw new Error("ark-api is shutting down");
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const set = this.listeners.get(queryUid) ?? new Set();
    set.add(listener);
    this.listeners.set(queryUid, set);
    let subscribed = true;
    const unsubscribe = () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(queryUid) === set) this.listeners.delete(queryUid);
      if (this.listeners.size === 0) this.closeWhenIdle();
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

  /** Whether the bus watch is open (or opening). */
  get watching(): boolean {
    return this.opening !== undefined;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.stopWatch?.();
    this.listeners.clear();
    this.forgetRecent();
  }

  private closeWhenIdle(): void {
    if (this.closed || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      // Still opening (its subscriber gave up meanwhile): the next idle stretch closes it.
      if (this.listeners.size > 0 || !this.stopWatch) return;
      this.stopWatch();
      this.stopWatch = undefined;
      this.opening = undefined;
      this.generation += 1;
      // The next watch has seen nothing before it: streams of queries from before it read the bus.
      this.liveSince = undefined;
      this.dropped.clear();
      this.forgetRecent();
    }, this.idleCloseMs);
    this.idleTimer.unref();
  }

  private open(): Promise<void> {
    if (this.opening) return this.opening;
    const generation = this.generation;
    const current = () => generation === this.generation;
    this.opening = this.bus
      .watchEvents(
        (envelope, storedBytes) => {
          if (current()) this.deliver(envelope, storedBytes);
        },
        {
          onError: (err) => {
            if (!current()) return;
            // A watch that had to recover may have skipped events (dropped by the bus's retention meanwhile): what was
            // kept can no longer stand for the bus.
            this.forgetRecent();
            this.liveSince = Date.now();
            this.log.warn({ err }, "query event watch for event streams");
          },
        },
      )
      .then(
        (stop) => {
          this.stopWatch = stop;
          this.liveSince ??= Date.now();
          if (this.closed) stop();
          // Its subscriber may have left while it opened.
          else if (this.listeners.size === 0) this.closeWhenIdle();
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
