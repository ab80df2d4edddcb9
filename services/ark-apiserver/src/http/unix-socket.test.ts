import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, type TestApiServer } from "../test-support/api-server.js";
import { MAX_SOCKET_PATH_BYTES } from "../config.js";
import { listenOnUnixSocket } from "./unix-socket.js";

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

  const startWithSocket = (socketPath: string): Promise<TestApiServer> => startApiServerForTest({ databaseUrl: db.url, arkHome: home, env: { ARK_APISERVER_SOCKET: socketPath } });

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

describe("the socket's mode", () => {
  /** What anyone could reach at the moment the socket is bound: the configured path, and the bound one with its directory. */
  async function modesAtBind(socketPath: string) {
    let seen: { finalPath: number | undefined; bound: number; boundDir: number; sameAsFinal: boolean } | undefined;
    const server = await listenOnUnixSocket(socketPath, (_req, res) => res.end("ok"), {
      onBound: async (bound) => {
        seen = {
          finalPath: await stat(socketPath).then(
            (s) => s.mode & 0o777,
            () => undefined,
          ),
          bound: (await stat(bound)).mode & 0o777,
          boundDir: (await stat(dirname(bound))).mode & 0o777,
          sameAsFinal: bound === socketPath,
        };
      },
    });
    try {
      const answered = await new Promise<string>((resolve, reject) => {
        http.get({ socketPath, path: "/" }, (res) => res.on("data", (c: Buffer) => resolve(c.toString()))).on("error", reject);
      });
      return { seen: seen!, after: (await stat(socketPath)).mode & 0o777, answered, leftovers: (await readdir(dirname(socketPath))).filter((f) => f.startsWith(".s")) };
    } finally {
      await server.close();
    }
  }

  it("is restrictive from the bind on: bound in a private directory, then linked into place at 0600", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ark-sock-mode-"));
    try {
      const { seen, after, answered, leftovers } = await modesAtBind(join(dir, "apiserver.sock"));
      expect(seen.finalPath).toBeUndefined();
      expect(seen.sameAsFinal).toBe(false);
      expect(seen.boundDir).toBe(0o700);
      expect(after).toBe(0o600);
      expect(answered).toBe("ok");
      expect(leftovers).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("is 0600 at the bind when the path leaves no room for a private directory (umask around the bind)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ark-sock-mode-"));
    const deep = join(dir, "d".repeat(MAX_SOCKET_PATH_BYTES - Buffer.byteLength(dir) - 3));
    await mkdir(deep);
    try {
      const socketPath = join(deep, "s");
      expect(Buffer.byteLength(socketPath)).toBe(MAX_SOCKET_PATH_BYTES);
      const umask = process.umask();
      const { seen, after, answered } = await modesAtBind(socketPath);
      expect(seen.sameAsFinal).toBe(true);
      expect(seen.bound).toBe(0o600);
      expect(after).toBe(0o600);
      expect(answered).toBe("ok");
      expect(process.umask()).toBe(umask);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
