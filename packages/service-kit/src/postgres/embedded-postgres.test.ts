import { execFileSync, spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordFileOf, startEmbeddedPostgres } from "./embedded-postgres.js";
import { isProcessAlive } from "../process-alive.js";
import { createPgPool } from "./pool.js";
import { hasPdeathsig } from "./postmaster.js";
import { resolveDatabase } from "./resolve-database.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "ark-service-kit-pg-"));
  await chmod(root, 0o755); // as root, the server runs as the OS user "postgres", which must reach the data dir
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("startEmbeddedPostgres", () => {
  it("starts a real PostgreSQL, creates the database, and keeps data across a restart on the same dir", async () => {
    const dataDir = join(root, "keep");
    const first = await startEmbeddedPostgres({ dataDir, databaseName: "memories" });
    expect(first.url).toMatch(/^postgres:\/\/.+@127\.0\.0\.1:\d+\/memories$/);
    expect(await query(first.url, "select 1 as one")).toEqual([{ one: 1 }]);
    await query(first.url, "create table notes (body text); insert into notes values ('kept')");
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, databaseName: "memories" });
    try {
      expect(await query(second.url, "select body from notes")).toEqual([{ body: "kept" }]);
    } finally {
      await second.stop();
    }
  });

  it("starts the server again on the same port and data when it is killed, so the same URL answers", { timeout: 90_000 }, async () => {
    const dataDir = join(root, "heal");
    const server = await startEmbeddedPostgres({ dataDir, databaseName: "healing" });
    let newPid = 0;
    try {
      await query(server.url, "create table kept (body text); insert into kept values ('still here')");
      const pid = Number((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
      process.kill(pid, "SIGKILL");
      const deadline = Date.now() + 60_000;
      let rows: { body: string }[] | undefined;
      while (!rows && Date.now() < deadline) {
        rows = await query<{ body: string }>(server.url, "select body from kept").catch(() => undefined);
        if (!rows) await new Promise((r) => setTimeout(r, 250));
      }
      expect(rows).toEqual([{ body: "still here" }]);
      newPid = Number((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
      expect(newPid).not.toBe(pid);
    } finally {
      await server.stop();
    }
    expect(isProcessAlive(newPid)).toBe(false); // stop() stops the restarted server, not only the first
  });

  it("shares the server when a second caller in the process starts the same dir", async () => {
    const dataDir = join(root, "shared");
    const [a, b] = await Promise.all([startEmbeddedPostgres({ dataDir, databaseName: "apiserver" }), startEmbeddedPostgres({ dataDir, databaseName: "memory" })]);
    try {
      expect(a.port).toBe(b.port);
      expect(await query(b.url, "select current_database() as db")).toEqual([{ db: "memory" }]);
      await b.stop();
      expect(await query(a.url, "select current_database() as db")).toEqual([{ db: "apiserver" }]);
    } finally {
      await a.stop();
    }
  });

  it("starts over a stale postmaster.pid whose process is gone", async () => {
    const dataDir = join(root, "stale-pid");
    await (await startEmbeddedPostgres({ dataDir })).stop();
    await writeFile(join(dataDir, "postmaster.pid"), `999999\n${dataDir}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(server.url, "select 1 as one")).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
    }
  });

  it("recovers the server a killed process left running", async () => {
    const dataDir = join(root, "orphan");
    const fixture = fileURLToPath(new URL("./__tests__/start-embedded.fixture.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@ark/source", "--import", "tsx", fixture, dataDir], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("started") && resolve());
      child.on("exit", (code) => reject(new Error(`fixture exited with ${code}`)));
    });
    const orphanPid = Number((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(server.url, "select 1 as one")).toEqual([{ one: 1 }]);
      const newPid = Number((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
      expect(newPid).not.toBe(orphanPid);
    } finally {
      await server.stop();
    }
  });
});

describe("the embedded server's password", () => {
  const legacyUrl = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;

  it("is generated per cluster into <dataDir>.password (0600): postgres:postgres@127.0.0.1 is refused, the URL works", async () => {
    const dataDir = join(root, "generated");
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      const password = (await readFile(passwordFileOf(dataDir), "utf8")).trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect((await stat(passwordFileOf(dataDir))).mode & 0o777).toBe(0o600);
      expect(decodeURIComponent(new URL(server.url).password)).toBe(password);
      await expect(query(legacyUrl(server.port), "select 1")).rejects.toMatchObject({ code: "28P01" });
      expect(await query(server.url, "select 1 as one")).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
    }
    const again = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(again.url, "select 1 as one")).toEqual([{ one: 1 }]);
    } finally {
      await again.stop();
    }
  });

  it("replaces the old well-known password of a cluster initialised before, keeping its data", async () => {
    const dataDir = join(root, "legacy");
    const first = await startEmbeddedPostgres({ dataDir });
    await query(first.url, "create table kept (v text); insert into kept values ('old data'); alter role postgres password 'postgres'");
    await first.stop();
    await rm(passwordFileOf(dataDir));

    const upgraded = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(upgraded.url, "select v from kept")).toEqual([{ v: "old data" }]);
      await expect(query(legacyUrl(upgraded.port), "select 1")).rejects.toMatchObject({ code: "28P01" });
      expect((await stat(passwordFileOf(dataDir))).mode & 0o777).toBe(0o600);
    } finally {
      await upgraded.stop();
    }
  });
});

describe("the embedded server's process", () => {
  const processGroup = (pid: number) => Number(execFileSync("ps", ["-o", "pgid=", "-p", String(pid)], { encoding: "utf8" }).trim());

  it("runs in a process group of its own (a Ctrl-C at the terminal does not reach it) and goes away when its owner is killed", async () => {
    const dataDir = join(root, "detached");
    const fixture = fileURLToPath(new URL("./__tests__/start-embedded.fixture.ts", import.meta.url));
    // The owner leads its own group, as a shell's foreground job does.
    const child = spawn(process.execPath, ["--conditions=@ark/source", "--import", "tsx", fixture, dataDir], { stdio: ["ignore", "pipe", "inherit"], detached: true });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("started") && resolve());
      child.on("exit", (code) => reject(new Error(`fixture exited with ${code}`)));
    });
    const postmaster = Number((await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    expect(processGroup(child.pid!)).toBe(child.pid);
    expect(processGroup(postmaster)).not.toBe(child.pid);

    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    if (!hasPdeathsig()) return; // without setpriv the next start stops it ("recovers the server a killed process left running")
    for (const deadline = Date.now() + 30_000; isProcessAlive(postmaster) && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isProcessAlive(postmaster)).toBe(false);
  });
});

describe("resolveDatabase and createPgPool", () => {
  it("uses DATABASE_URL when set, without starting anything", async () => {
    const db = await resolveDatabase({ databaseUrl: "postgres://u:p@db.example:5432/ark", arkHome: join(root, "unused") });
    expect(db).toMatchObject({ url: "postgres://u:p@db.example:5432/ark", source: "env" });
  });

  it("starts the embedded server under $ARK_HOME/pg otherwise, and a pool names its application", async () => {
    const arkHome = join(root, "ark-home");
    const db = await resolveDatabase({ arkHome });
    const pool = createPgPool(db.url, { max: 2, applicationName: "service-kit-test" });
    try {
      expect(db.source).toBe("embedded");
      const { rows } = await pool.query<{ name: string }>("select application_name as name from pg_stat_activity where pid = pg_backend_pid()");
      expect(rows).toEqual([{ name: "service-kit-test" }]);
      expect((await readFile(join(arkHome, "pg", "PG_VERSION"), "utf8")).trim()).toMatch(/^\d+$/);
    } finally {
      await pool.end();
      await db.stop();
    }
  });
});
