import { fileURLToPath } from "node:url";
import { runMigrations } from "@ark/service-kit";
import type pg from "pg";

const MIGRATIONS = fileURLToPath(new URL("../../drizzle", import.meta.url));

export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  await runMigrations(pool, { migrationsFolder: MIGRATIONS, migrationsTable: "__ark_apiserver_migrations", lockKey: 7_240_000 });
}
