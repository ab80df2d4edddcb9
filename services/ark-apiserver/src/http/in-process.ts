import type { IncomingHttpHeaders } from "node:http";
import type { InProcessApi, InProcessApiResponse } from "@ark/types";
import type { FastifyBaseLogger } from "fastify";
import type { ApiContext, ApiReply } from "../api/context.js";
import { statusErrors } from "../api/status.js";
import { impersonatedUser } from "../auth/impersonation.js";
import type { RequestAttributes } from "../rbac/policy-rule.js";
import { requestAttributes } from "../rbac/request-attributes.js";
import type { ResourceType } from "../resource-type.js";
import type { ObserveRequest } from "./request-metrics.js";
import { resourceHandler } from "./resource-routes.js";
import { statusErrorOf, warningHeader } from "./send.js";

export interface InProcessApiOptions {
  /** As BODY_LIMIT_BYTES over HTTP: a larger body is refused with 413. */
  bodyLimitBytes: number;
  log: FastifyBaseLogger;
  /** True once the server is stopping: calls are answered 503 (retry elsewhere or later), as its closed socket refuses HTTP ones. */
  stopping: () => boolean;
  /** The request metrics (registerApiServerMetrics), when they are on. */
  observe?: ObserveRequest;
}

/**
 * The resource API for callers in this process (docs/architecture.md §2.2): the same steps as an
 * HTTP request through register-api.ts (bearer token, impersonation, RBAC, then the resource handlers with their
 * admission and storage) and the same answers, minus the socket, HTTP framing and fastify. Watches are refused here
 * (their clients stream over the socket); discovery and the probes are HTTP only.
 */
export function inProcessApi(ctx: ApiContext, resources: readonly ResourceType[], options: InProcessApiOptions): InProcessApi {
  const handle = resourceHandler(ctx, resources);
  return async (request) => {
    if (options.stopping()) return failure(statusErrors.unavailable("ark-apiserver is stopping", 1), options.log, request.method, request.path);
    const started = performance.now();
    const body = request.body === undefined || Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const url = new URL(request.path, "http://localhost");
    // Parsed once for RBAC and the metrics.
    const attributes = requestAttributes(request.method, url);
    const answer = await answerOf(request.method, url, attributes, request.headers, body).catch((err: unknown) =>
      // What fails because the server stopped under it (its pool ended) is the stop's 503, not an internal error.
      failure(options.stopping() ? statusErrors.unavailable("ark-apiserver is stopping", 1) : err, options.log, request.method, request.path),
    );
    options.observe?.(request.method, request.path, answer.status, (performance.now() - started) / 1000, attributes);
    return answer;
  };

  async function answerOf(method: string, url: URL, attributes: RequestAttributes, rawHeaders: Record<string, string>, body: Buffer | undefined): Promise<InProcessApiResponse> {
    const headers = lowerCased(rawHeaders);
    if (!url.pathname.startsWith("/api/") && !url.pathname.startsWith("/apis/")) throw statusErrors.pathNotFound();
    if (body !== undefined && body.length > options.bodyLimitBytes) throw statusErrors.requestEntityTooLarge(`the request body is over ${options.bodyLimitBytes} bytes`);
    const authenticated = await ctx.access.authenticator.authenticate(headers.authorization);
    if (!authenticated) throw statusErrors.unauthorized();
    const user = impersonatedUser(authenticated, headers, ctx.access.authorizer);
    ctx.access.authorizer.check(user, attributes);
    const outcome = await handle({ method, url, headers, ...(body !== undefined ? { body } : {}), user });
    if (!("reply" in outcome)) throw statusErrors.methodNotAllowed("watch is not served in process: watch over HTTP");
    return await replyOf(outcome.reply);
  }
}

function lowerCased(headers: Record<string, string>): IncomingHttpHeaders {
  const lowered: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

async function replyOf(reply: ApiReply): Promise<InProcessApiResponse> {
  const headers: Record<string, string> = { "content-type": reply.contentType ?? "application/json" };
  if (reply.warnings?.length) headers.warning = reply.warnings.map(warningHeader).join(", ");
  let text: string;
  if (reply.raw) text = reply.raw.toString("utf8");
  else if (reply.stream) {
    const chunks: Buffer[] = [];
    for await (const chunk of reply.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    text = Buffer.concat(chunks).toString("utf8");
  } else text = reply.json ?? JSON.stringify(reply.body);
  return { status: reply.code, text, headers };
}

function failure(err: unknown, log: FastifyBaseLogger, method: string, path: string): InProcessApiResponse {
  const { error, unexpected } = statusErrorOf(err);
  if (unexpected) log.error({ err, method, url: path }, "in-process request failed");
  const headers: Record<string, string> = { "content-type": "application/json" };
  const retryAfter = error.status.details?.retryAfterSeconds;
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  return { status: error.code, text: JSON.stringify(error.status), headers };
}
