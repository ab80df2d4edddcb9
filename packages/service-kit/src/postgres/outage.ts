import type { Log } from "../logging/create-logger.js";
import { isDatabaseUnavailable } from "./unavailable.js";

/** Seconds a caller is told to wait (Retry-After) while the database is away, as ark-apiserver answers. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * A service's view of its database being away: the outage is logged once when it starts and once when it ends,
 * instead of an error per failed request (callers get 503 with Retry-After meanwhile; /ready fails on its own check).
 */
export class DatabaseOutage {
  private away = false;
  private watching = false;

  constructor(private readonly log: Log) {}

  /**
   * A pool of this service's database reports to this outage (createPgPool does it). Until then the service has no
   * database, and a refused or reset connection (the gateway's upstream, ark-api behind the dashboard) is not one.
   */
  watchDatabase(): void {
    this.watching = true;
  }

  /** Whether `err` means the database cannot be reached; the first such error of an outage is logged as a warning. */
  noteFailure(err: unknown): boolean {
    if (!this.watching || !isDatabaseUnavailable(err)) return false;
    if (!this.away) {
      const cause = err as { message?: unknown; code?: unknown };
      this.log.warn({ err: { message: cause.message, code: cause.code } }, "the database is unreachable: requests get 503 until it is back");
    }
    this.away = true;
    return true;
  }

  /** A connection to the database was made: an outage, if any, is over. */
  noteReachable(): void {
    if (this.away) this.log.info("the database is reachable again");
    this.away = false;
  }
}
