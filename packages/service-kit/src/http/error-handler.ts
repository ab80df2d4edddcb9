import type { FastifyInstance } from "fastify";
import { ArkError } from "../errors/ark-error.js";
import { toErrorResponse } from "../errors/error-body.js";

/** Every error, thrown by a route or by fastify itself, leaves as `{ error: { code, message, details? } }`. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
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
