import { fileURLToPath } from "node:url";
import { runMigrations } from "@ark/service-kit";
import type pg from "pg";

/** Resolved from this module (src/store or dist/store), never from the working directory. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  await runMigrations(pool, { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: "__ark_api_a2a_migrations", lockKey: 7_184_000 });
}
