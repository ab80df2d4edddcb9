import { isDatabaseUnavailable } from "@ark/service-kit";
import type { FastifyReply } from "fastify";
import type { ApiReply } from "../api/context.js";
import { StatusError, statusErrors } from "../api/status.js";
import { InvalidKeyError } from "../store/errors.js";

/**
 * `Warning: 299 - "..."`, as Kubernetes sends admission and field-validation warnings: `"` and `\` escaped, the
 * text as UTF-8 bytes (Node writes header strings as Latin-1, so the bytes go as their Latin-1 characters).
 * Control characters and lone surrogates, which Kubernetes drops the warning for, are written as `\uXXXX`.
 */
export function warningHeader(text: string): string {
  // oxlint-disable-next-line no-control-regex -- control characters are what gets escaped
  const quoted = text.replace(/["\\]|[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) =>
    c === '"' || c === "\\" ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return Buffer.from(`299 - "${quoted}"`, "utf8").toString("latin1");
}

export function sendApiReply(reply: FastifyReply, answer: ApiReply): FastifyReply {
  const warned = answer.warnings !== undefined && answer.warnings.length > 0;
  if (warned) reply.header("warning", answer.warnings!.map(warningHeader));
  reply.code(answer.code).type(answer.contentType ?? "application/json");
  if (answer.raw) return reply.send(answer.raw);
  if (answer.stream) return reply.send(answer.stream);
  const text = answer.json ?? JSON.stringify(answer.body);
  // Node writes the head with a string body in the body's encoding (UTF-8), which would encode the header's bytes twice.
  return reply.send(warned ? Buffer.from(text) : text);
}

/**
 * Any failure as the StatusError it answers: an invalid key as 400, an unreachable database as 503 ServiceUnavailable
 * (clients retry), anything else not a StatusError as a 500 InternalError (`unexpected`: the caller logs it).
 */
export function statusErrorOf(err: unknown): { error: StatusError; unexpected: boolean; storageUnavailable: boolean } {
  if (err instanceof InvalidKeyError) return { error: statusErrors.badRequest(err.message), unexpected: false, storageUnavailable: false };
  if (err instanceof StatusError) return { error: err, unexpected: false, storageUnavailable: false };
  if (isDatabaseUnavailable(err)) {
    return { error: statusErrors.unavailable(`storage is unavailable, retry: ${err instanceof Error ? err.message : String(err)}`, 1), unexpected: false, storageUnavailable: true };
  }
  return { error: statusErrors.internal(err instanceof Error ? err.message : String(err)), unexpected: true, storageUnavailable: false };
}

/** A failure as its Status (statusErrorOf), with Retry-After where the Status gives one. */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const { error, unexpected, storageUnavailable } = statusErrorOf(err);
  // The database is away (restarting, unreachable): the outage is logged once by the change feed.
  if (storageUnavailable) reply.request.log.debug({ err }, "storage unavailable");
  if (unexpected) reply.request.log.error({ err }, "request failed");
  const retryAfter = error.status.details?.retryAfterSeconds;
  if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
  return reply.code(error.code).type("application/json").send(JSON.stringify(error.status));
}
