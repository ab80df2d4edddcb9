import { setTimeout as delay } from "node:timers/promises";
import { backoffDelay, ClassifiedError } from "@ark/types";
import type pg from "pg";
import type { Change, ChangeLog } from "../store/change-log.js";

const BATCH = 1000;
/** Safety net if a notification is lost (reconnects, another replica's burst). */
const POLL_INTERVAL_MS = 1000;
/** How long a read waits for this process to see a resourceVersion the database already has. */
const REACH_TIMEOUT_MS = 3000;

/** The feed did not get to a resourceVersion in time (too large, or the database is unreachable). */
export class FeedBehindError extends ClassifiedError {
  override readonly name = "FeedBehindError";
  constructor(
    readonly wanted: number,
    readonly position: number,
  ) {
    super("system", "FEED_BEHIND", `Too large resource version: ${wanted}, current: ${position}`);
  }
}

export interface ChangeFeedOptions {
  /**
   * Changes after the cursor were pruned before this process read them (it fell behind the retained
   * history): rebuild from the current state and return the rv to continue from.
   */
  onHistoryLost?: () => Promise<number>;
  /** The LISTEN connection is back after it broke (the database answers again). */
  onReconnected?: () => void;
}

/**
 * One LISTEN connection per process: on `ark_changes`, reads every change after the last one seen
 * and hands them, in rv order, to `onChanges`.
 */
export class ChangeFeed {
  private cursor = 0;
  private listener: { client: pg.PoolClient; release: () => void } | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;
  private relistening = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: ChangeLog,
    private readonly onChanges: (changes: Change[]) => void,
    private readonly onError: (err: unknown) => void,
    private readonly options: ChangeFeedOptions = {},
  ) {}

  /** The rv up to which every change has been handed out. */
  get position(): number {
    return this.cursor;
  }

  /** Listens and hands out every change after `fromRv` (default: the latest now). */
  async start(fromRv?: number): Promise<void> {
    this.cursor = fromRv ?? (await this.log.latest());
    await this.listen();
    this.poll = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    this.poll.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.pumping;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await listener.client.query("UNLISTEN ark_changes").catch(() => undefined);
      listener.release();
    }
  }

  /** Reads new changes now; resolves once everything committed before the call has been handed out. */
  async catchUp(): Promise<void> {
    this.wake();
    while (this.pumping) await this.pumping;
  }

  /**
   * Resolves once every change up to `rv` has been handed out (reading the log now rather than waiting
   * for the notification). Throws FeedBehindError if that takes longer than a few seconds.
   */
  async reach(rv: number, timeoutMs = REACH_TIMEOUT_MS): Promise<void> {
    if (this.cursor >= rv) return;
    const deadline = Date.now() + timeoutMs;
    while (this.cursor < rv) {
      if (this.stopped || Date.now() > deadline) throw new FeedBehindError(rv, this.cursor);
      this.wake();
      const pumping = this.pumping;
      if (pumping) await pumping;
      if (this.cursor < rv) await delay(5);
    }
  }

  /**
   * Changes this process just committed: when they directly follow the cursor (nothing committed
   * in between, by anyone), they are handed out now instead of after the notification and a read of
   * the log; otherwise the log brings them as usual.
   */
  offerLocal(changes: readonly Change[]): void {
    if (this.stopped) return;
    const next: Change[] = [];
    let at = this.cursor;
    for (const change of [...changes].sort((a, b) => a.rv - b.rv)) {
      if (change.rv <= at) continue;
      if (change.rv !== at + 1) break;
      next.push(change);
      at = change.rv;
    }
    if (next.length === 0) return;
    this.cursor = at;
    this.onChanges(next);
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    // Released once, whether the connection fails first or stop() comes first (or both at shutdown).
    let released = false;
    const listener = {
      client,
      release: () => {
        if (released) return;
        released = true;
        client.release(true);
      },
    };
    client.on("notification", (message) => {
      // The payload is the highest rv the writer committed (empty from older writers: read).
      const rv = Number(message.payload || Number.NaN);
      if (Number.isSafeInteger(rv) && rv <= this.cursor) return;
      this.wake();
    });
    client.on("error", (err) => {
      if (!this.stopped) this.onError(err);
      if (this.listener === listener) this.listener = undefined;
      listener.release();
      this.relisten();
    });
    try {
      await client.query("LISTEN ark_changes");
    } catch (err) {
      listener.release();
      throw err;
    }
    this.listener = listener;
    this.wake();
  }

  /** LISTEN again after the connection broke, retrying (backing off to 5 s) until the database answers. */
  private relisten(attempt = 1): void {
    if (this.stopped || (attempt === 1 && this.relistening)) return;
    this.relistening = true;
    setTimeout(
      () => {
        if (this.stopped) return;
        this.listen().then(
          () => {
            this.relistening = false;
            this.options.onReconnected?.();
          },
          (err: unknown) => {
            this.onError(err);
            this.relisten(attempt + 1);
          },
        );
      },
      backoffDelay(attempt + 1, { baseMs: 250, maxMs: 5_000 }),
    ).unref();
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const read = await this.log.after(this.cursor, BATCH);
        // offerLocal may have moved the cursor while the read was in flight.
        const changes = read.filter((c) => c.rv > this.cursor);
        if (changes.length === 0) {
          if (read.length < BATCH) return;
          continue;
        }
        if (changes[0]!.rv > this.cursor + 1 && this.options.onHistoryLost && (await this.historyLost())) {
          this.cursor = await this.options.onHistoryLost();
          continue;
        }
        this.cursor = changes[changes.length - 1]!.rv;
        this.onChanges(changes);
        if (read.length < BATCH) return;
      }
    } catch (err) {
      this.onError(err);
    }
  }

  /** A gap after the cursor is either writes that failed (their rv unused) or history pruned before it was read. */
  private async historyLost(): Promise<boolean> {
    const oldest = await this.log.oldest();
    return oldest !== null && oldest > this.cursor + 1;
  }
}
