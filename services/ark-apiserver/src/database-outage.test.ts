import { mkdtemp, readFile, rm, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@ark/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, type TestApiServer } from "./test-support/api-server.js";
import { clientsFor, statusOf } from "./test-support/clients.js";

// The apiserver on an embedded PostgreSQL that is killed under it: it answers 503 with Retry-After while the
// database is away (as kube-apiserver does when etcd is down), and serves again once the server is back.
describe("when the database goes away", () => {
  let dir: string;
  let database: EmbeddedPostgres;
  let server: TestApiServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ark-apiserver-outage-"));
    await chmod(dir, 0o755); // as root, the embedded server runs as the OS user postgres
    database = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), databaseName: "outage" });
    server = await startApiServerForTest({ databaseUrl: database.url, arkHome: join(dir, "home") });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await database?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers writes 503 with Retry-After, never 500, until the restarted database is back", { timeout: 90_000 }, async () => {
    const api = clientsFor(server.kubeConfig());
    const create = (i: number) => api.core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: `outage-${i}` } } });
    await create(0);
    const pid = Number((await readFile(join(dir, "pg", "postmaster.pid"), "utf8")).split("\n")[0]);
    process.kill(pid, "SIGKILL");

    const codes: number[] = [];
    let retryAfter: unknown;
    const deadline = Date.now() + 60_000;
    for (let i = 1; Date.now() < deadline; i++) {
      const outcome = await create(i).then(
        () => ({ code: 201, body: {} as Record<string, any> }),
        (err: unknown) => statusOf(Promise.reject(err)),
      );
      codes.push(outcome.code);
      if (outcome.code === 503) retryAfter = outcome.body.details?.retryAfterSeconds;
      if (outcome.code === 201 && codes.includes(503)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(codes).toContain(503);
    expect(retryAfter).toBe(1);
    expect(codes.filter((c) => c !== 503 && c !== 201)).toEqual([]);
    expect(codes.at(-1)).toBe(201);
  });
});
