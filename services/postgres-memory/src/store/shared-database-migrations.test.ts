import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgPool, runMigrations } from "@ark/service-kit";
import { createTestDatabase, testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "./migrate.js";

/** Another service's drizzle-kit migrations, newer than ours, recorded in drizzle's default history table. */
function otherServiceMigrations(): string {
  const folder = mkdtempSync(join(tmpdir(), "other-migrations-"));
  mkdirSync(join(folder, "meta"));
  const entry = { idx: 0, version: "7", when: Date.now() + 86_400_000, tag: "0000_other", breakpoints: true };
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: [entry] }));
  writeFileSync(join(folder, "0000_other.sql"), "CREATE TABLE other_service_objects (id text PRIMARY KEY);");
  return folder;
}

// Regression: with one shared drizzle history table, a newer migration of ark-apiserver made
// postgres-memory skip its own, and /sessions answered 500 (memory_sessions does not exist).
describe.skipIf(!testPostgres())("migrations on a database shared with another service", () => {
  it("creates the memory tables even when another service migrated the database first", async () => {
    const db = await createTestDatabase({ label: "memory-shared-db" });
    const pool = createPgPool(db.url, { max: 2 });
    try {
      await runMigrations(pool, { migrationsFolder: otherServiceMigrations(), migrationsTable: "__drizzle_migrations", lockKey: 1 });
      await migrateDatabase(pool);
      const tables = await pool.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      expect(tables.rows.map((r) => r.name)).toEqual(expect.arrayContaining(["memory_messages", "memory_sessions", "other_service_objects"]));
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
