import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type pg from "pg";

export interface MigrationOptions {
  /** Absolute path of the drizzle-kit migrations folder (resolve it from the module, not the cwd). */
  migrationsFolder: string;
  /** The service's own history table, so services sharing one database don't skip each other's migrations. */
  migrationsTable: string;
  /** pg advisory lock key: replicas starting together on one database migrate one at a time. */
  lockKey: number;
}

export async function runMigrations(pool: pg.Pool, options: MigrationOptions): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [options.lockKey]);
    await migrate(drizzle({ client }), { migrationsFolder: options.migrationsFolder, migrationsTable: options.migrationsTable });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [options.lockKey]).catch(() => undefined);
    client.release();
  }
}
