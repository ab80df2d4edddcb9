import { createPgPool } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessageStore } from "./message-store.js";
import { migrateDatabase } from "./migrate.js";

describe.skipIf(!testPostgres())("MessageStore", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: MessageStore;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "memory-store" });
    pool = createPgPool(db.url, { max: 8 });
    await migrateDatabase(pool);
    store = new MessageStore(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it("migrates idempotently, also when replicas migrate at once", async () => {
    await Promise.all([migrateDatabase(pool), migrateDatabase(pool)]);
    await migrateDatabase(pool);
    const applied = await pool.query("SELECT count(*)::int AS n FROM drizzle.__postgres_memory_migrations");
    expect(applied.rows[0].n).toBe(1);
  });

  it("keeps each concurrent append contiguous and loses nothing", async () => {
    const writers = 12;
    const perWriter = 5;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        store.append(
          "shared",
          Array.from({ length: perWriter }, (_, m) => JSON.stringify({ role: "user", content: `w${w}-m${m}` })),
        ),
      ),
    );
    const contents = (await store.readAll("shared")).map((text) => (JSON.parse(text) as { content: string }).content);
    expect(contents).toHaveLength(writers * perWriter);
    for (let block = 0; block < writers; block++) {
      const slice = contents.slice(block * perWriter, (block + 1) * perWriter);
      const writer = slice[0]!.split("-")[0];
      expect(slice).toEqual(Array.from({ length: perWriter }, (_, m) => `${writer}-m${m}`));
    }
    expect(new Set(contents.map((c) => c.split("-")[0])).size).toBe(writers);
    expect((await store.getSession("shared"))?.messageCount).toBe(writers * perWriter);
  });

  it("appends more rows than one insert statement carries, in order", async () => {
    const texts = Array.from({ length: 2_345 }, (_, i) => String(i));
    await store.append("bulk", texts);
    expect(await store.readAll("bulk")).toEqual(texts);
  });

  it("rolls back the whole append when a row fails", async () => {
    await store.append("atomic", ["1"]);
    await expect(store.append("atomic", ["2", "x".repeat(10) + "\u0000"])).rejects.toThrow();
    expect(await store.readAll("atomic")).toEqual(["1"]);
    expect((await store.getSession("atomic"))?.messageCount).toBe(1);
  });
});
