import type pg from "pg";
import type { Change, ChangeLog } from "../store/change-log.js";

const BATCH = 1000;
/** Safety net if a notification is lost (reconnects, another replica's burst). */
const POLL_INTERVAL_MS = 1000;

/**
 * One LISTEN connection per process: on `ark_changes`, reads every change after the last one seen
 * and hands them, in rv order, to `onChanges`.
 */
export class ChangeFeed {
  private cursor = 0;
  private listener: pg.PoolClient | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: ChangeLog,
    private readonly onChanges: (changes: Change[]) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** The rv up to which every change has been handed out. */
  get position(): number {
    return this.cursor;
  }

  async start(): Promise<void> {
    this.cursor = await this.log.latest();
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
      await listener.query("UNLISTEN ark_changes").catch(() => undefined);
      listener.release(true);
    }
  }

  /** Reads new changes now; resolves once everything committed before the call has been handed out. */
  async catchUp(): Promise<void> {
    this.wake();
    while (this.pumping) await this.pumping;
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    client.on("notification", () => this.wake());
    client.on("error", (err) => {
      this.onError(err);
      if (this.listener === client) this.listener = undefined;
      client.release(true);
      if (!this.stopped) setTimeout(() => void this.listen().catch(this.onError), 500).unref();
    });
    await client.query("LISTEN ark_changes");
    this.listener = client;
    this.wake();
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
        const changes = await this.log.after(this.cursor, BATCH);
        if (changes.length === 0) return;
        this.cursor = changes[changes.length - 1]!.rv;
        this.onChanges(changes);
        if (changes.length < BATCH) return;
      }
    } catch (err) {
      this.onError(err);
    }
  }
}
