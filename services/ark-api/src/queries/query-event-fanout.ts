import type { QueryBus } from "@ark/bus";
import type { BusEventEnvelope } from "@ark/types";

type Listener = (envelope: BusEventEnvelope) => void;

interface Logger {
  warn(obj: object, message: string): void;
}

/**
 * One bus watch of every query's events (QueryBus.watchEvents) for all of ark-api's event streams: a stream subscribes
 * to its query's live events here instead of opening a bus consumer of its own (on JetStream one ordered consumer
 * created, described and deleted per stream). Opened on the first subscription and kept open.
 */
export class QueryEventFanout {
  private readonly listeners = new Map<string, Set<Listener>>();
  private opening: Promise<void> | undefined;
  private stopWatch: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly bus: QueryBus,
    private readonly log: Logger,
  ) {}

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

  /** How many streams follow the query now. */
  subscribers(queryUid: string): number {
    return this.listeners.get(queryUid)?.size ?? 0;
  }

  close(): void {
    this.closed = true;
    this.stopWatch?.();
    this.listeners.clear();
  }

  private open(): Promise<void> {
    this.opening ??= this.bus
      .watchEvents((envelope) => this.deliver(envelope), { onError: (err) => this.log.warn({ err }, "query event watch for event streams") })
      .then(
        (stop) => {
          this.stopWatch = stop;
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

  private deliver(envelope: BusEventEnvelope): void {
    const set = this.listeners.get(envelope.queryUid);
    if (set) for (const listener of set) listener(envelope);
  }
}
