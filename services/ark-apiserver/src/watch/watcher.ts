import type { Change } from "../store/change-log.js";
import { eventTypeFor, type WatchEventType, type WatchFilter } from "./watch-filter.js";

/** Where a watch writes its newline-delimited events. */
export interface WatchSink {
  /** One event; `object` is the stored JSON text. */
  event(type: WatchEventType, object: string): void;
  bookmark(resourceVersion: number): void;
  end(): void;
  /** Ends the watch without a goodbye (its client is not keeping up): drop what is buffered. */
  abort(): void;
}

/**
 * One client's watch. Starts buffering (while its initial state or replay is sent), then goes live;
 * only changes after its cursor are delivered, so replay and live events neither overlap nor miss.
 */
export class Watcher {
  private buffer: Change[] | undefined = [];
  private bufferedBytes = 0;
  private cursor = 0;
  private closed = false;

  constructor(
    readonly filter: WatchFilter,
    private readonly sink: WatchSink,
    /** Live changes (their JSON text) held while the initial state or replay is sent; a watch that needs more is aborted. */
    private readonly maxBufferedBytes = Infinity,
  ) {}

  get isLive(): boolean {
    return this.buffer === undefined && !this.closed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one change of the initial state or replay; advances the cursor. */
  replay(change: Change): void {
    this.deliver(change);
  }

  /** Sends a synthetic event for the initial state. */
  initial(object: string): void {
    if (!this.closed) this.sink.event("ADDED", object);
  }

  /** Starts live delivery after `resourceVersion` (everything up to it has been sent). */
  goLive(resourceVersion: number): void {
    this.cursor = Math.max(this.cursor, resourceVersion);
    const buffered = this.buffer ?? [];
    this.buffer = undefined;
    this.bufferedBytes = 0;
    for (const change of buffered) this.offer(change);
  }

  offer(change: Change): void {
    if (this.closed) return;
    if (this.buffer) {
      this.bufferedBytes += change.object.length + (change.prevObject?.length ?? 0);
      if (this.bufferedBytes > this.maxBufferedBytes) this.abort();
      else this.buffer.push(change);
      return;
    }
    if (change.rv > this.cursor) this.deliver(change);
  }

  /** Everything up to `resourceVersion` has been offered: tell the client. */
  bookmark(resourceVersion: number): void {
    if (!this.isLive) return;
    this.cursor = Math.max(this.cursor, resourceVersion);
    this.sink.bookmark(this.cursor);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer = undefined;
    this.sink.end();
  }

  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer = undefined;
    this.sink.abort();
  }

  private deliver(change: Change): void {
    if (this.closed) return;
    this.cursor = Math.max(this.cursor, change.rv);
    const type = eventTypeFor(this.filter, change);
    if (type) this.sink.event(type, change.object);
  }
}
