import { toErrorResponse } from "@ark/service-kit";
import type { FastifyError, FastifyInstance } from "fastify";
import { jsonPointerToFieldPath } from "./validation.js";

/** Request validation failures answer 422 with field paths; everything else as service-kit maps it. */
export function registerRestErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (Array.isArray(err.validation)) {
      const context = err.validationContext ?? "body";
      const details = err.validation.map((v) => {
        const path = jsonPointerToFieldPath(v.instancePath ?? "");
        return { field: path ? `${context}.${path}` : context, message: v.message ?? "is invalid" };
      });
      const message = details.map((d) => `${d.field}: ${d.message}`).join("; ");
      return reply.code(422).send({ error: { code: "UNPROCESSABLE", message, details } });
    }
    const response = toErrorResponse(err);
    if (response.unexpected) request.log.error({ err }, "request failed");
    return reply.code(response.statusCode).send(response.body);
  });
}
