import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { FastifyInstance } from "fastify";
import { tracingEnabled } from "./tracing-state.js";

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const PROBE_PATHS = new Set(["/health", "/ready", "/metrics"]);

/**
 * A server span per request, child of the caller's W3C traceparent, active while fastify serves it (so the handler's
 * spans, its outgoing calls and its log lines join the caller's trace). Wraps the server's request listener: fastify
 * has no hook that runs the rest of a request inside a context. Probes and a process without tracing are left alone.
 */
export function registerHttpTracing(app: FastifyInstance): void {
  const server = app.server as Server;
  const listeners = server.listeners("request") as RequestListener[];
  if (listeners.length !== 1) return;
  const [serve] = listeners as [RequestListener];
  server.removeListener("request", serve);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!tracingEnabled() || PROBE_PATHS.has((req.url ?? "").split("?")[0] ?? "")) return serve(req, res);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const method = req.method ?? "GET";
    const span = trace.getTracer("ark-http").startSpan(method, { kind: SpanKind.SERVER, attributes: { "http.request.method": method } }, parent);
    res.once("close", () => {
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), () => serve(req, res));
  });
  // The route pattern is known once fastify routed the request; raw URLs would make every query its own span name.
  app.addHook("onRequest", async (request) => {
    if (!tracingEnabled()) return;
    const span = trace.getActiveSpan();
    const route = request.routeOptions.url;
    if (!span || !route) return;
    span.updateName(`${request.method} ${route}`);
    span.setAttribute("http.route", route);
  });
}
