import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { isDatabaseUnavailable } from "./unavailable.js";

type Transaction<S extends Record<string, unknown>> = Parameters<Parameters<NodePgDatabase<S>["transaction"]>[0]>[0];

/**
 * A drizzle transaction on a client checked out of `pool`, always given back. drizzle's own `db.transaction` on a
 * pool sends BEGIN before its try/finally, so a connection lost at that moment (the database restarting) keeps the
 * client checked out for ever and `pool.end()` never returns. A client whose connection failed is destroyed rather
 * than put back.
 */
export async function poolTransaction<S extends Record<string, unknown>, T>(pool: pg.Pool, schema: S, work: (tx: Transaction<S>) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    return await drizzle({ client, schema }).transaction(work);
  } catch (err) {
    if (err instanceof Error && isDatabaseUnavailable(err)) failure = err;
    throw err;
  } finally {
    client.release(failure);
  }
}
