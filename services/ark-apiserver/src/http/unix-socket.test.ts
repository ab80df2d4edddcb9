import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, type TestApiServer } from "../test-support/api-server.js";

/** One GET over the socket: status and body. */
function getOverSocket(socketPath: string, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Leaves a socket file behind, as a process killed while listening does. */
function leaveStaleSocket(path: string): Promise<void> {
  const script = "require('node:net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))";
  return new Promise((resolve) => execFile(process.execPath, ["-e", script, path], () => resolve()));
}

describe.skipIf(!testPostgres())("ARK_APISERVER_SOCKET", () => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase({ label: "apiserver-socket" });
    home = await mkdtemp(join(tmpdir(), "ark-sock-"));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(home, { recursive: true, force: true });
  });

  const startWithSocket = (socketPath: string): Promise<TestApiServer> =>
    startApiServerForTest({ databaseUrl: db.url, arkHome: home, env: { ARK_APISERVER_SOCKET: socketPath } });

  it("serves the API as plain HTTP to this OS user only, with the token, and removes the socket on stop", async () => {
    const socketPath = join(home, "a.sock");
    const server = await startWithSocket(socketPath);
    try {
      expect(server.socketPath).toBe(socketPath);
      expect((await stat(socketPath)).mode & 0o777).toBe(0o600);
      const listed = await getOverSocket(socketPath, "/api/v1/namespaces/default", server.token);
      expect(listed.status).toBe(200);
      expect(JSON.parse(listed.body)).toMatchObject({ kind: "Namespace", metadata: { name: "default" } });
      expect((await getOverSocket(socketPath, "/api/v1/namespaces/default")).status).toBe(401);
    } finally {
      await server.close();
    }
    await expect(stat(socketPath)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("replaces a socket file left by a killed process", async () => {
    const socketPath = join(home, "stale.sock");
    await leaveStaleSocket(socketPath);
    expect((await stat(socketPath)).isSocket()).toBe(true);
    const server = await startWithSocket(socketPath);
    try {
      expect((await getOverSocket(socketPath, "/api/v1/namespaces/default", server.token)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("refuses a socket another apiserver serves, and a path that is not a socket, naming the variable", async () => {
    const socketPath = join(home, "busy.sock");
    const first = await startWithSocket(socketPath);
    try {
      await expect(startWithSocket(socketPath)).rejects.toThrow(/ARK_APISERVER_SOCKET: .*busy\.sock is in use/);
      // The first one still answers.
      expect((await getOverSocket(socketPath, "/api/v1/namespaces/default", first.token)).status).toBe(200);
    } finally {
      await first.close();
    }
    const file = join(home, "plain-file");
    await writeFile(file, "keep me");
    await expect(startWithSocket(file)).rejects.toThrow(/ARK_APISERVER_SOCKET: .*plain-file exists and is not a socket/);
    expect((await stat(file)).isFile()).toBe(true);
  });

  it("goes on without the socket when told it is optional (the dev stack's default)", async () => {
    const file = join(home, "not-a-socket");
    await writeFile(file, "keep me");
    const server = await startApiServerForTest({
      databaseUrl: db.url,
      arkHome: home,
      env: { ARK_APISERVER_SOCKET: file },
      serverOptions: { socketOptional: true },
    });
    try {
      expect(server.socketPath).toBeUndefined();
      expect((await stat(file)).isFile()).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("says when the path is too long for a socket", async () => {
    await expect(startWithSocket(join(home, "x".repeat(120)))).rejects.toThrow(/ARK_APISERVER_SOCKET.*at most 103 bytes/);
  });
});
