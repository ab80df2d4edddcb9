import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@ark/service-kit";
import { recordingLogger } from "@ark/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningMemoryService } from "./server.js";
import { testConfig } from "./test-support/memory-service.js";

// postgres-memory on an embedded PostgreSQL that is killed under it (the embedded server restarts it): callers get
// 503 with Retry-After while it is away, /ready fails, and the service serves again without a restart of its own.
describe("postgres-memory when its database goes away", () => {
  let dir: string;
  let database: EmbeddedPostgres;
  let memory: RunningMemoryService;
  const log = recordingLogger();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ark-memory-outage-"));
    await chmod(dir, 0o755); // as root, the embedded server runs as the OS user postgres
    database = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), databaseName: "outage" });
    memory = await start(testConfig(database.url, { LOG_LEVEL: "debug" }), { logger: log.logger as never });
  }, 60_000);

  afterAll(async () => {
    await memory?.stop();
    await database?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers 503 with Retry-After, never 500, and fails /ready until the restarted database is back; one warning", { timeout: 90_000 }, async () => {
    const put = (i: number) => fetch(`${memory.url}/messages/outage`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: `m${i}` }] }) });
    expect((await put(0)).status).toBe(200);
    const pid = Number((await readFile(join(dir, "pg", "postmaster.pid"), "utf8")).split("\n")[0]);
    process.kill(pid, "SIGKILL");

    const codes: number[] = [];
    let unavailable: Response | undefined;
    let readyWhileAway: number | undefined;
    const deadline = Date.now() + 60_000;
    for (let i = 1; Date.now() < deadline; i++) {
      const response = await put(i);
      codes.push(response.status);
      if (response.status === 503 && !unavailable) {
        unavailable = response;
        readyWhileAway = (await fetch(`${memory.url}/ready`)).status;
      }
      if (response.status === 200 && codes.includes(503)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(codes).toContain(503);
    expect(unavailable?.headers.get("retry-after")).toBe("1");
    expect(await unavailable?.json()).toEqual({ error: { code: "UNAVAILABLE", message: "the database is unavailable, retry later" } });
    expect(readyWhileAway).toBe(503);
    expect(codes.filter((c) => c !== 503 && c !== 200)).toEqual([]);
    expect(codes.at(-1)).toBe(200);
    expect((await fetch(`${memory.url}/ready`)).status).toBe(200);

    // The outage is one warning and one line when it ends, not an error per request.
    expect(log.lines.filter((l) => l.level === "error" || l.level === "fatal")).toEqual([]);
    expect(log.lines.filter((l) => l.level === "warn").map((l) => l.msg)).toEqual(["the database is unreachable: requests get 503 until it is back"]);
    expect(log.lines.filter((l) => l.msg === "the database is reachable again")).toHaveLength(1);
  });
});
