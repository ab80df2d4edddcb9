import { chmod, link, lstat, mkdtemp, rm, unlink } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import { dirname, join } from "node:path";
import { MAX_SOCKET_PATH_BYTES } from "../config.js";

export interface UnixSocketServer {
  readonly path: string;
  close(): Promise<void>;
}

/** How long open requests get to finish when the socket closes; then their connections are cut. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Serves `handler` as plain HTTP on a Unix socket that only this OS user can open (the token is still checked).
 * A socket file left by a process that died is replaced; a live one, or a file that is not a socket, is an error.
 */
export async function listenOnUnixSocket(path: string, handler: http.RequestListener, options: { onBound?: (boundPath: string) => Promise<void> | void } = {}): Promise<UnixSocketServer> {
  await removeStaleSocket(path);
  const server = http.createServer(handler);
  await bindPrivately(server, path, options.onBound);
  return {
    path,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(cut);
      await unlink(path).catch(() => undefined);
    },
  };
}

/**
 * The socket is never reachable with a wider mode: bound inside a fresh 0700 directory, made 0600 there, then
 * linked into place (link, unlike rename, fails if something took the path meanwhile). When that directory's
 * path would be too long for a socket, the umask covers the bind instead (bind is synchronous in listen()).
 */
async function bindPrivately(server: http.Server, path: string, onBound?: (boundPath: string) => Promise<void> | void): Promise<void> {
  const listen = (at: string) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(at, () => {
        server.off("error", reject);
        resolve();
      });
    });
  const dir = dirname(path);
  if (Buffer.byteLength(join(dir, ".sXXXXXX", "s")) > MAX_SOCKET_PATH_BYTES) {
    const previous = process.umask(0o177);
    let listening: Promise<void>;
    try {
      listening = listen(path);
    } finally {
      process.umask(previous);
    }
    await listening;
    await onBound?.(path);
    return;
  }
  const privateDir = await mkdtemp(join(dir, ".s"));
  try {
    const inside = join(privateDir, "s");
    await listen(inside);
    await onBound?.(inside);
    await chmod(inside, 0o600);
    await link(inside, path);
  } catch (err) {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    throw err;
  } finally {
    await rm(privateDir, { recursive: true, force: true });
  }
}

async function removeStaleSocket(path: string): Promise<void> {
  const stat = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (!stat) return;
  if (!stat.isSocket()) throw new Error(`ARK_APISERVER_SOCKET: ${path} exists and is not a socket`);
  if (await answers(path)) throw new Error(`ARK_APISERVER_SOCKET: ${path} is in use by another process`);
  await unlink(path);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
