import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Keeps a caller's x-request-id when it looks sane, so one id follows a request across services. */
export function requestIdFrom(req: IncomingMessage): string {
  const header = req.headers["x-request-id"];
  return typeof header === "string" && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

const PROBE_ROUTES = new Set(["/health", "/ready", "/metrics"]);

/** Echoes the request id and logs one line per request (probes at debug, so they do not flood the log). */
export function registerRequestLogging(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url;
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime) };
    if (route !== undefined && PROBE_ROUTES.has(route)) request.log.debug(line, "request completed");
    else request.log.info(line, "request completed");
  });
}
