import pg from "pg";
import { silentLog, type Log } from "../logging/create-logger.js";
import type { DatabaseOutage } from "./outage.js";

export interface PgPoolOptions {
  /** Connections at most. Default 10. */
  max?: number;
  /** Shows in pg_stat_activity, so a connection names its service. */
  applicationName?: string;
  logger?: Log;
  /** Told of lost connections and of each new one, so an outage is logged once rather than per connection. */
  outage?: DatabaseOutage;
}

/** A node-postgres pool with bounded waits; idle-client errors are logged instead of crashing the process. */
export function createPgPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  const log = options.logger ?? silentLog;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // Without a listener, an idle client losing its connection (server restart) emits 'error' and kills the process.
  // pg attaches the whole Client to the error (`err.client`): log what identifies the failure, not kilobytes of state.
  // An idle client's failure is a warning (the server went away; the next checkout connects again), and so is a
  // checked-out client's failure between two of its queries (it would otherwise be an uncaught 'error' event):
  // the query that runs on it next fails and says so.
  const outage = options.outage;
  const warn = (err: Error, msg: string) => {
    if (outage?.noteFailure(err)) return;
    log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, msg);
  };
  if (outage) {
    outage.watchDatabase();
    pool.on("connect", () => outage.noteReachable());
  }
  pool.on("error", (err) => warn(err, "idle PostgreSQL connection failed"));
  const onCheckedOutError = (err: Error) => warn(err, "PostgreSQL connection failed");
  pool.on("acquire", (client) => client.on("error", onCheckedOutError));
  pool.on("release", (_err, client) => client.removeListener("error", onCheckedOutError));
  return pool;
}
