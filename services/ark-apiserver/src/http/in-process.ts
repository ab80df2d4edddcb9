import type { IncomingHttpHeaders } from "node:http";
import { Writable } from "node:stream";
import type { InProcessApi, InProcessApiRequest, InProcessApiResponse, InProcessWatch, InProcessWatchSink } from "@ark/types";
import type { FastifyBaseLogger } from "fastify";
import type { ApiContext, ApiReply } from "../api/context.js";
import type { WatchResponse } from "../api/handlers/watch.js";
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
 * admission and storage) and the same answers, minus the socket, HTTP framing and fastify. Its `watch` streams a
 * watch's lines to the caller's sink the same way; discovery and the probes are HTTP only.
 */
export function inProcessApi(ctx: ApiContext, resources: readonly ResourceType[], options: InProcessApiOptions): InProcessApi {
  const handle = resourceHandler(ctx, resources);
  const stopped = () => statusErrors.unavailable("ark-apiserver is stopping", 1);
  const call = async (request: InProcessApiRequest): Promise<InProcessApiResponse> => {
    if (options.stopping()) return failure(stopped(), options.log, request.method, request.path);
    const started = performance.now();
    const url = new URL(request.path, "http://localhost");
    // Parsed once for RBAC and the metrics.
    const attributes = requestAttributes(request.method, url);
    const answer = await outcomeOf(request, url, attributes)
      .then((outcome) => {
        if (!("reply" in outcome)) throw statusErrors.methodNotAllowed("a watch in process goes through the API's watch");
        return replyOf(outcome.reply);
      })
      // What fails because the server stopped under it (its pool ended) is the stop's 503, not an internal error.
      .catch((err: unknown) => failure(options.stopping() ? stopped() : err, options.log, request.method, request.path));
    options.observe?.(request.method, request.path, answer.status, (performance.now() - started) / 1000, attributes);
    return answer;
  };
  const watch = async (request: InProcessApiRequest, sink: InProcessWatchSink): Promise<InProcessApiResponse | InProcessWatch> => {
    if (options.stopping()) return failure(stopped(), options.log, request.method, request.path);
    const url = new URL(request.path, "http://localhost");
    try {
      const outcome = await outcomeOf(request, url, requestAttributes(request.method, url));
      if ("reply" in outcome) return await replyOf(outcome.reply);
      const response = new InProcessWatchResponse(sink);
      outcome.watch(response).catch((err: unknown) => {
        options.log.error({ err, url: request.path }, "in-process watch failed");
        response.destroy();
      });
      return { abort: () => response.abandon() };
    } catch (err) {
      return failure(options.stopping() ? stopped() : err, options.log, request.method, request.path);
    }
  };
  return Object.assign(call, { watch });

  /** Authenticates and authorizes the request, then hands it to the resource handlers (register-api.ts's steps). */
  async function outcomeOf(request: InProcessApiRequest, url: URL, attributes: RequestAttributes) {
    const body = request.body === undefined || Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const headers = lowerCased(request.headers);
    if (!url.pathname.startsWith("/api/") && !url.pathname.startsWith("/apis/")) throw statusErrors.pathNotFound();
    if (body !== undefined && body.length > options.bodyLimitBytes) throw statusErrors.requestEntityTooLarge(`the request body is over ${options.bodyLimitBytes} bytes`);
    const authenticated = await ctx.access.authenticator.authenticate(headers.authorization);
    if (!authenticated) throw statusErrors.unauthorized();
    const user = impersonatedUser(authenticated, headers, ctx.access.authorizer);
    ctx.access.authorizer.check(user, attributes);
    return await handle({ method: request.method, url, headers, ...(body !== undefined ? { body } : {}), user });
  }
}

/**
 * The response a watch streams into (prepareWatch), delivering each write to the caller's sink at once: what the
 * socket, chunked encoding and the client's HTTP parser did over HTTP. The caller reads as the server writes, so
 * nothing is buffered; the watch's end (or the server dropping it) is the sink's `end`, the caller's abort is not.
 */
class InProcessWatchResponse extends Writable implements WatchResponse {
  private ended = false;

  constructor(private readonly sink: InProcessWatchSink) {
    super({ decodeStrings: true });
  }

  get socket(): { destroyed: boolean } {
    return this;
  }

  writeHead(): this {
    return this;
  }

  flushHeaders(): void {}

  /** Ends from the caller's side: no `end` to the sink. */
  abandon(): void {
    this.ended = true;
    this.destroy();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.deliver(chunk);
    callback();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.deliver(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.finish();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.finish();
    callback(error);
  }

  private deliver(chunk: Buffer): void {
    if (!this.ended) this.sink.data(chunk);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.sink.end();
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
