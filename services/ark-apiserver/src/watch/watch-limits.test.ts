import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import v8 from "node:v8";
import vm from "node:vm";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, type TestApiServer } from "../test-support/api-server.js";
import { rawRequest } from "../test-support/raw-request.js";
import type { Change } from "../store/change-log.js";
import { watchClientOf, WatchQuota } from "./watch-quota.js";
import { Watcher } from "./watcher.js";

const CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

describe("a watch still sending its initial state or replay", () => {
  it("holds live changes up to its byte limit, then is aborted instead of holding more", () => {
    const seen: string[] = [];
    const sink = { event: (type: string) => seen.push(type), bookmark: () => undefined, end: () => seen.push("end"), abort: () => seen.push("abort") };
    const watcher = new Watcher({ group: "", resource: "configmaps", labels: [], fields: [] }, sink, 1000);
    const change = (rv: number): Change => ({ rv, type: "ADDED", group: "", resource: "configmaps", namespace: "default", name: `c${rv}`, labels: {}, object: "x".repeat(400), prevObject: null });
    watcher.offer(change(1));
    watcher.offer(change(2));
    expect(watcher.isClosed).toBe(false);
    watcher.offer(change(3));
    expect(watcher.isClosed).toBe(true);
    watcher.goLive(0);
    expect(seen).toEqual(["abort"]);
  });
});

describe("watch quota", () => {
  it("counts watches per token hash, and a release frees one slot once", () => {
    const quota = new WatchQuota(2);
    const alice = watchClientOf("Bearer alice-token-0123456789");
    const bob = watchClientOf("bearer bob-token-0123456789");
    expect(alice).not.toContain("alice");
    expect(watchClientOf("Bearer  alice-token-0123456789 ")).toBe(alice);
    const first = quota.acquire(alice)!;
    quota.acquire(alice);
    expect(quota.acquire(alice)).toBeUndefined();
    expect(quota.acquire(bob)).toBeDefined();
    first();
    first();
    expect(quota.held(alice)).toBe(1);
    expect(quota.acquire(alice)).toBeDefined();
    expect(quota.acquire(alice)).toBeUndefined();
  });
});

/** A watch over HTTPS that reads and keeps its response open. */
function openWatch(server: TestApiServer, path: string): Promise<{ status: number; headers: IncomingMessage["headers"]; body: () => string; close: () => void }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: url.hostname, port: url.port, path, ca: server.caPem, agent: false, headers: { authorization: `Bearer ${server.token}` } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: () => body, close: () => req.destroy() });
    });
    req.on("error", reject);
    req.end();
  });
}

/** A client that asks for a watch and never reads a byte of the answer. */
function slowWatch(server: TestApiServer, path: string): Promise<tls.TLSSocket> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: server.caPem, servername: "localhost" }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on("error", () => undefined);
    socket.once("error", reject);
  });
}

const gc: () => void = (() => {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
})();

function memory(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

describe.skipIf(!testPostgres())("watch limits", () => {
  let db: TestDatabase;
  let home: string;
  let server: TestApiServer;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "apiserver-watch-limits" });
    home = await mkdtemp(join(tmpdir(), "ark-apiserver-"));
    server = await startApiServerForTest({
      databaseUrl: db.url,
      arkHome: home,
      env: { ARK_APISERVER_MAX_WATCHES_PER_CLIENT: "110", ARK_APISERVER_WATCH_BUFFER_BYTES: String(256 * 1024), WATCH_HISTORY_LIMIT: "50" },
      // The window must hold without the pruner: it does not run during these tests.
      serverOptions: { historyPruneIntervalMs: 3_600_000 },
    });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("answers 429 with Retry-After beyond the client's watches, and takes new ones once some closed", async () => {
    const open = await Promise.all(Array.from({ length: 110 }, () => openWatch(server, `${CONFIGMAPS}?watch=true`)));
    try {
      expect(open.every((w) => w.status === 200)).toBe(true);
      const refused = await rawRequest(server, "GET", `${CONFIGMAPS}?watch=true`);
      expect(refused.status).toBe(429);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(JSON.parse(refused.body)).toMatchObject({
        kind: "Status",
        reason: "TooManyRequests",
        code: 429,
        message: "too many watches open for this client (at most 110), please try again later",
        details: { retryAfterSeconds: 1 },
      });
      // Lists and gets are not watches.
      expect((await rawRequest(server, "GET", CONFIGMAPS)).status).toBe(200);
      open.pop()!.close();
      await expect.poll(() => server.server.context.watchQuota.held(watchClientOf(`Bearer ${server.token}`)), { timeout: 10_000 }).toBeLessThan(110);
      const again = await openWatch(server, `${CONFIGMAPS}?watch=true`);
      expect(again.status).toBe(200);
      open.push(again);
    } finally {
      for (const w of open) w.close();
    }
    await expect.poll(() => server.server.context.hub.size, { timeout: 10_000 }).toBe(0);
  });

  it("closes 100 watches whose clients do not read while many objects are written; memory stays bounded", { timeout: 180_000 }, async () => {
    const put = (name: string, size: number) => rawRequest(server, "POST", CONFIGMAPS, { body: JSON.stringify({ metadata: { name }, data: { blob: "x".repeat(size) } }) });
    for (let i = 0; i < 10; i++) expect((await put(`initial-${i}`, 20_000)).status).toBe(201);
    const rv = JSON.parse((await rawRequest(server, "GET", CONFIGMAPS)).body).metadata.resourceVersion as string;

    const before = memory();
    let written = 0;
    // Half from a resourceVersion (live at once), half from the initial state.
    const slow = await Promise.all(Array.from({ length: 100 }, (_, i) => slowWatch(server, `${CONFIGMAPS}?watch=true${i % 2 === 0 ? `&resourceVersion=${rv}` : ""}`)));
    try {
      await expect.poll(() => server.server.context.hub.size, { timeout: 10_000 }).toBe(100);
      // Written until the server has closed them all: past the kernel's socket buffers (a few MB each here), every
      // further byte would be held by the server for clients that never read. At most 12 MB for each watch.
      while (server.server.context.hub.size > 0 && written < 150) {
        const answers = await Promise.all(Array.from({ length: 10 }, (_, j) => put(`written-${written + j}`, 80_000)));
        expect(answers.every((a) => a.status === 201)).toBe(true);
        written += 10;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(server.server.context.hub.size).toBe(0);
      expect(server.server.context.watchQuota.held(watchClientOf(`Bearer ${server.token}`))).toBe(0);
      expect(memory() - before).toBeLessThan(64 * 1024 * 1024);
    } finally {
      for (const s of slow) s.destroy();
    }
    // A client that reads gets the whole state (megabytes, sent as it reads).
    const reader = await openWatch(server, `${CONFIGMAPS}?watch=true`);
    try {
      const received = () => reader.body().match(/"name":"written-\d+"/g) ?? [];
      await expect.poll(() => received().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(written);
      expect(new Set(received()).size).toBe(written);
    } finally {
      reader.close();
    }
  });

  it("replays at most WATCH_HISTORY_LIMIT resourceVersions back: 410 Expired beyond, even before the change log was pruned", async () => {
    const first = JSON.parse((await rawRequest(server, "POST", CONFIGMAPS, { body: JSON.stringify({ metadata: { name: "window" }, data: { n: "0" } }) })).body);
    const staleRv = first.metadata.resourceVersion as string;
    for (let i = 1; i <= 60; i++) {
      const patched = await rawRequest(server, "PATCH", `${CONFIGMAPS}/window`, { body: JSON.stringify({ data: { n: String(i) } }), contentType: "application/merge-patch+json" });
      expect(patched.status).toBe(200);
    }
    expect(await server.server.context.changeLog.oldest()).toBeLessThanOrEqual(Number(staleRv));

    const tooOld = await openWatch(server, `${CONFIGMAPS}?watch=true&resourceVersion=${staleRv}`);
    await expect.poll(() => tooOld.body(), { timeout: 10_000 }).toContain("\n");
    tooOld.close();
    const lines = tooOld
      .body()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: Record<string, any> });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", status: "Failure", reason: "Expired", code: 410 } });
    expect(lines[0]!.object.message).toMatch(new RegExp(`^too old resource version: ${staleRv} \\(\\d+\\)$`));

    // Within the window: replayed.
    const recentRv = Number(JSON.parse((await rawRequest(server, "GET", `${CONFIGMAPS}/window`)).body).metadata.resourceVersion) - 5;
    const recent = await openWatch(server, `${CONFIGMAPS}?watch=true&resourceVersion=${recentRv}`);
    await expect.poll(() => recent.body(), { timeout: 10_000 }).toContain('"n":"60"');
    recent.close();
    expect(recent.body()).not.toContain('"ERROR"');
  });
});
