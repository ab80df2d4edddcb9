import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testPostgres } from "../vitest/index.js";
import { listTestDatabases } from "./database.js";
import type { TestDatabase } from "./database.js";

const server = testPostgres();

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!server)("test Postgres", () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase({ label: "isolation" }), createTestDatabase({ label: "isolation" })]);
  });
  afterAll(async () => {
    await first?.drop();
    await second?.drop();
  });

  it("answers select 1 on the server the run was given", async () => {
    const rows = await query<{ one: number }>(server!.url, "select 1 as one");
    expect(rows).toEqual([{ one: 1 }]);
    expect(["env", "testcontainers", "embedded"]).toContain(server!.source);
  });

  it("gives each suite its own database", async () => {
    expect(first.name).not.toBe(second.name);
    expect(first.name).toMatch(/^ark_test_[a-z0-9]+_isolation_[0-9a-f]{12}$/);
    const [current] = await query<{ db: string }>(first.url, "select current_database() as db");
    expect(current?.db).toBe(first.name);

    await query(first.url, "create table agents (name text primary key)");
    await query(first.url, "insert into agents values ('weather')");
    await query(second.url, "create table agents (name text primary key, other int)");
    expect(await query(first.url, "select name from agents")).toEqual([{ name: "weather" }]);
    expect(await query(second.url, "select name from agents")).toEqual([]);
  });

  it("drops the database even with a connection still open", async () => {
    const db = await createTestDatabase({ label: "drop" });
    const open = new pg.Client({ connectionString: db.url });
    open.on("error", () => {});
    await open.connect();
    try {
      expect(await listTestDatabases(server!.url, db.name)).toEqual([db.name]);
      await db.drop();
      expect(await listTestDatabases(server!.url, db.name)).toEqual([]);
      await db.drop();
    } finally {
      await open.end().catch(() => {});
    }
  });
});
