import { chmod, lstat, unlink } from "node:fs/promises";
import http from "node:http";
import net from "node:net";

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
export async function listenOnUnixSocket(path: string, handler: http.RequestListener): Promise<UnixSocketServer> {
  await removeStaleSocket(path);
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  await chmod(path, 0o600);
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
