import fastifyHttpProxy, { type FastifyHttpProxyOptions } from "@fastify/http-proxy";
import { ArkError, type ServiceApp } from "@ark/service-kit";
import type { IncomingHttpHeaders } from "node:http";
import { HOST_PREFIX } from "./host-routing.js";
import type { GatewayRoute } from "./routes.js";

// Structural, so the same helpers serve reply-from's and ws's callbacks (typed for any raw server).
type ProxiedRequest = { headers: IncomingHttpHeaders; ip: string };
type ErrorReply = { send(payload: unknown): unknown };

function forwardedHeaders(request: ProxiedRequest, prefix: string | undefined): Record<string, string> {
  const original = request.headers;
  const forwardedFor = [original["x-forwarded-for"], request.ip].filter(Boolean).join(", ");
  return {
    "x-forwarded-host": String(original["x-forwarded-host"] ?? original.host ?? ""),
    "x-forwarded-proto": String(original["x-forwarded-proto"] ?? "http"),
    "x-forwarded-for": forwardedFor,
    ...(prefix ? { "x-forwarded-prefix": prefix } : {}),
  };
}

function answerUpstreamFailure(route: GatewayRoute) {
  return (reply: ErrorReply, { error }: { error: Error & { statusCode?: number } }) => {
    const cause = error.cause as (Error & { code?: string; syscall?: string }) | undefined;
    // The service closed while the body was still being sent: it refused the body (413 over its limit) and undici lost the race to read that answer.
    if (cause?.syscall === "write" && (cause.code === "EPIPE" || cause.code === "ECONNRESET")) {
      reply.send(new ArkError("PAYLOAD_TOO_LARGE", `service "${route.name}" closed the connection before reading the whole request body: it is over that service's body limit`, { cause: error }));
      return;
    }
    const code = error.statusCode === 504 ? "TIMEOUT" : "BAD_GATEWAY";
    reply.send(new ArkError(code, `service "${route.name}" at ${route.upstream} did not answer: ${cause?.message ?? error.message}`, { cause: error }));
  };
}

// Hop-by-hop (RFC 9110 section 7.6.1) or answered here (Expect: 100-continue): not forwarded; undici refused them, a 502.
const NOT_FORWARDED = ["upgrade", "keep-alive", "proxy-connection", "expect"];

function withoutHopByHop<H extends object>(headers: H): H {
  const kept = { ...headers };
  for (const name of NOT_FORWARDED) delete (kept as Record<string, unknown>)[name];
  return kept;
}

/** `/path` redirects from a service behind a path prefix must keep the prefix. */
function prefixLocation(prefix: string) {
  return <H extends IncomingHttpHeaders>(headers: H): H => {
    const location = headers.location;
    if (typeof location === "string" && location.startsWith("/") && !location.startsWith("//")) {
      return { ...headers, location: `${prefix}${location}` };
    }
    return headers;
  };
}

function proxyOptions(route: GatewayRoute, prefix: string, forwardedPrefix: string | undefined): FastifyHttpProxyOptions & { websocket: true } {
  const wsClientOptions = {
    // http-proxy reads this from wsClientOptions although ws's ClientOptions type does not list it.
    rewriteRequestHeaders: (headers: Record<string, unknown>, request: ProxiedRequest) => ({
      ...headers,
      ...pick(request.headers, ["cookie", "authorization", "origin"]),
      ...forwardedHeaders(request, forwardedPrefix),
    }),
  };
  return {
    upstream: route.upstream,
    prefix,
    websocket: true,
    internalRewriteLocationHeader: false,
    // Streams (SSE, watches, long ?wait= requests) may stay quiet for long: the upstream decides when they end.
    undici: { headersTimeout: 0, bodyTimeout: 0 },
    wsClientOptions: wsClientOptions as FastifyHttpProxyOptions["wsClientOptions"],
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => ({ ...withoutHopByHop(headers), ...forwardedHeaders(request, forwardedPrefix) }),
      ...(forwardedPrefix ? { rewriteHeaders: prefixLocation(forwardedPrefix) } : {}),
      onError: answerUpstreamFailure(route),
      // reply-from retries GETs answered 503 up to 10 times; a proxy must pass a 503 (a /ready probe) through.
      retryDelay: () => null,
    },
  };
}

function pick(headers: IncomingHttpHeaders, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === "string") picked[name] = value;
  }
  return picked;
}

/** Each route is served twice: under `/<name>` (prefix stripped, X-Forwarded-Prefix set) and under the host-routing prefix. */
export async function registerServiceProxies(app: ServiceApp, routes: readonly GatewayRoute[]): Promise<void> {
  for (const route of routes) {
    await app.register(fastifyHttpProxy, proxyOptions(route, `/${route.name}`, `/${route.name}`));
    await app.register(fastifyHttpProxy, proxyOptions(route, `${HOST_PREFIX}/${route.name}`, undefined));
  }
}

/**
 * An answer sent before the request body was read to its end (a 413, an upstream that failed mid-upload) closes the
 * connection: the unread rest of the body stalled the next request a client sent on it.
 */
export function closeConnectionsWithUnreadBodies(app: ServiceApp): void {
  app.addHook("onSend", async (request, reply) => {
    if (!request.raw.complete) reply.header("connection", "close");
  });
}

/** Whether a path (after host rewriting) belongs to one of the routes. */
export function isRoutedPath(routes: readonly GatewayRoute[], path: string): boolean {
  return routes.some(({ name }) => [`/${name}`, `${HOST_PREFIX}/${name}`].some((prefix) => path === prefix || path.startsWith(`${prefix}/`)));
}
