import type { FastifyInstance } from "fastify";
import { ArkError } from "../errors/ark-error.js";
import { toErrorResponse } from "../errors/error-body.js";
import { DATABASE_RETRY_AFTER_SECONDS, type DatabaseOutage } from "../postgres/outage.js";

/**
 * Every error, thrown by a route or by fastify itself, leaves as `{ error: { code, message, details? } }`. An
 * unreachable database is 503 UNAVAILABLE with Retry-After (the outage is logged once, not per request).
 */
export function registerErrorHandling(app: FastifyInstance, outage: DatabaseOutage): void {
  app.setErrorHandler((err, request, reply) => {
    if (outage.noteFailure(err)) {
      request.log.debug({ err }, "database unavailable");
      const response = toErrorResponse(new ArkError("UNAVAILABLE", "the database is unavailable, retry later"));
      return reply.code(response.statusCode).header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS)).send(response.body);
    }
    const response = toErrorResponse(err);
    if (response.unexpected) request.log.error({ err }, "request failed");
    else request.log.debug({ code: response.body.error.code, message: response.body.error.message }, "request rejected");
    return reply.code(response.statusCode).send(response.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const response = toErrorResponse(new ArkError("NOT_FOUND", `no route for ${request.method} ${request.url.split("?")[0]}`));
    return reply.code(response.statusCode).send(response.body);
  });
}
