import type { FastifyReply } from "fastify";
import type { ApiReply } from "../api/context.js";
import { StatusError, statusErrors } from "../api/status.js";
import { InvalidKeyError } from "../store/errors.js";

/** `Warning: 299 - "..."`, as Kubernetes sends admission and field-validation warnings. */
function warningHeaders(warnings: readonly string[]): string[] {
  return warnings.map((w) => `299 - ${JSON.stringify(w)}`);
}

export function sendApiReply(reply: FastifyReply, answer: ApiReply): FastifyReply {
  if (answer.warnings && answer.warnings.length > 0) reply.header("warning", warningHeaders(answer.warnings));
  reply.code(answer.code).type(answer.contentType ?? "application/json");
  return reply.send(answer.raw ?? answer.json ?? JSON.stringify(answer.body));
}

/** A StatusError as its Status; anything else as a 500 InternalError Status (logged). */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof InvalidKeyError) return sendError(reply, statusErrors.badRequest(err.message));
  const statusError = err instanceof StatusError ? err : statusErrors.internal(err instanceof Error ? err.message : String(err));
  if (!(err instanceof StatusError)) reply.request.log.error({ err }, "request failed");
  return reply.code(statusError.code).type("application/json").send(JSON.stringify(statusError.status));
}
