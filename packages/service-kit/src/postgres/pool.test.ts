import { describe, expect, it } from "vitest";
import type { Log } from "../logging/create-logger.js";
import { createPgPool } from "./pool.js";

// @ark/testing depends on this package, so the server comes straight from the environment (CI sets it).
const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)("createPgPool", () => {
  it("survives an idle connection killed by the server, logging a short line, and reconnects for the next query", async () => {
    const lines: { fields: unknown; message: string }[] = [];
    const record = (fields: unknown, message: string) => void lines.push({ fields, message });
    const log: Log = { debug: record, info: record, warn: record, error: record } as unknown as Log;
    const pool = createPgPool(databaseUrl!, { max: 1, logger: log, applicationName: "pool-test" });
    const admin = createPgPool(databaseUrl!, { max: 1 });
    try {
      const { rows } = await pool.query<{ pid: number }>("select pg_backend_pid() as pid");
      await admin.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
      await expect.poll(() => lines.length).toBe(1);
      expect(lines[0]).toEqual({ fields: { err: { message: expect.stringMatching(/terminat/), code: "57P01" } }, message: "idle PostgreSQL connection failed" });
      expect(JSON.stringify(lines[0]).length).toBeLessThan(300);
      expect((await pool.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
      await admin.end();
    }
  });
});
