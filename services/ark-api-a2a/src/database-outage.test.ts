import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, startEmbeddedPostgres, type EmbeddedPostgres } from "@ark/service-kit";
import { startArkStack, type ArkStack } from "@ark/test-stack";
import { recordingLogger } from "@ark/testing";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { arkApiA2aConfig } from "./config.js";
import { start, type RunningArkApiA2a } from "./server.js";
import { ADMIN_KEY } from "./test-support/stack.js";

// ark-api-a2a's task database (an embedded PostgreSQL) is killed under it and restarted by the embedded server:
// task calls get 503 with Retry-After while it is away, /ready fails, and the service serves again on its own.
describe.skipIf(!testPostgres())("ark-api-a2a when its task database goes away", () => {
  let dir: string;
  let stack: ArkStack;
  let database: EmbeddedPostgres;
  let a2a: RunningArkApiA2a;
  const log = recordingLogger();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ark-a2a-outage-"));
    await chmod(dir, 0o755); // as root, the embedded server runs as the OS user postgres
    stack = await startArkStack({ label: "a2a-outage-api" });
    await stack.ark.agents.create({ metadata: { name: "helper", namespace: "default" }, spec: { prompt: "You help." } });
    database = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), databaseName: "tasks" });
    const config = loadConfig(arkApiA2aConfig, { PORT: "0", LOG_LEVEL: "debug", DATABASE_URL: database.url, DATABASE_POOL_SIZE: "3", ARK_API_ADMIN_KEY: ADMIN_KEY, ARK_A2A_LISTEN_HOST: "127.0.0.1" });
    a2a = await start(config, { bus: stack.bus, kubeConfig: stack.kubeConfig, logger: log.logger as never });
    await vi.waitFor(async () => expect((await fetch(`${a2a.url}/agent/helper/.well-known/agent-card.json`)).status, "helper's agent card").toBe(200), { timeout: 10_000, interval: 100 });
  }, 120_000);

  afterAll(async () => {
    await a2a?.stop();
    await database?.stop();
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers GetTask 503 with Retry-After, never 500, and fails /ready until the restarted database is back; one warning", { timeout: 90_000 }, async () => {
    const getTask = (id: number) =>
      fetch(`${a2a.url}/agent/helper/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_KEY}`, "A2A-Version": "1.0" },
        body: JSON.stringify({ jsonrpc: "2.0", id, method: "GetTask", params: { id: "no-such-task" } }),
      });
    const before = await getTask(0);
    expect(before.status).toBe(200);
    expect(((await before.json()) as { error: unknown }).error).toMatchObject({ code: -32001 });
    const pid = Number((await readFile(join(dir, "pg", "postmaster.pid"), "utf8")).split("\n")[0]);
    process.kill(pid, "SIGKILL");

    const codes: number[] = [];
    let unavailable: { retryAfter: string | null; body: any } | undefined;
    let readyWhileAway: number | undefined;
    let after: any;
    const deadline = Date.now() + 60_000;
    for (let i = 1; Date.now() < deadline; i++) {
      const response = await getTask(i);
      codes.push(response.status);
      const body = await response.json();
      if (response.status === 503 && !unavailable) {
        unavailable = { retryAfter: response.headers.get("retry-after"), body };
        readyWhileAway = (await fetch(`${a2a.url}/ready`)).status;
      }
      if (response.status === 200 && codes.includes(503)) {
        after = body;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(codes).toContain(503);
    expect(unavailable).toEqual({ retryAfter: "1", body: { jsonrpc: "2.0", id: expect.any(Number), error: expect.objectContaining({ code: -32603, message: "the task database is unavailable, retry later" }) } });
    expect(readyWhileAway).toBe(503);
    expect(codes.filter((c) => c !== 503 && c !== 200)).toEqual([]);
    expect(after.error).toMatchObject({ code: -32001 });
    await expect.poll(async () => (await fetch(`${a2a.url}/ready`)).status, { timeout: 10_000 }).toBe(200);

    // The outage is one warning and one line when it ends, not an error per request.
    expect(log.lines.filter((l) => l.level === "error" || l.level === "fatal")).toEqual([]);
    expect(log.lines.filter((l) => l.level === "warn").map((l) => l.msg)).toEqual(["the database is unreachable: requests get 503 until it is back"]);
    expect(log.lines.filter((l) => l.msg === "the database is reachable again")).toHaveLength(1);
  });
});
