import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";

/** Host-routed requests are served under this internal prefix, so `api.localhost/health` is ark-api's, not ours. */
export const HOST_PREFIX = "/_host";

const SERVICE_HOST = /^([a-z0-9-]+)\.localhost\.?(?::\d+)?$/i;

/** The service a `Host: <name>.localhost[:port]` header names, lower-cased; undefined for any other host. */
function serviceOfHost(host: string | undefined): string | undefined {
  return host ? SERVICE_HOST.exec(host)?.[1]?.toLowerCase() : undefined;
}

function rewriteForHost(req: IncomingMessage): void {
  const name = serviceOfHost(req.headers.host);
  if (name && req.url?.startsWith("/")) req.url = `${HOST_PREFIX}/${name}${req.url}`;
}

/**
 * Rewrites host-routed URLs before fastify routes them (fastify routes by path only, and its own
 * routes would win over a host constraint). `isProxied` says whether a rewritten upgrade has an owner;
 * an upgrade nobody owns gets 404 instead of a socket left hanging.
 */
export function routeByHost(server: Server, isProxied: (path: string) => boolean): void {
  server.prependListener("request", rewriteForHost);
  server.prependListener("upgrade", (req: IncomingMessage, socket: Duplex) => {
    rewriteForHost(req);
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    if (isProxied(path)) return;
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
}
