import { toErrorResponse } from "@ark/service-kit";
import type { FastifyError, FastifyInstance } from "fastify";
import { jsonPointerToFieldPath } from "../http/validation.js";

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const typeByStatus: Record<number, [type: string, code: string | null]> = {
  400: ["invalid_request_error", null],
  401: ["invalid_request_error", "invalid_api_key"],
  403: ["permission_error", "insufficient_permissions"],
  404: ["invalid_request_error", "model_not_found"],
  413: ["invalid_request_error", "request_too_large"],
  415: ["invalid_request_error", null],
  422: ["invalid_request_error", null],
  429: ["rate_limit_error", "rate_limit_exceeded"],
  504: ["server_error", "timeout"],
};

export function openAIError(status: number, message: string, param: string | null = null): OpenAIErrorBody {
  const [type, code] = typeByStatus[status] ?? (status >= 500 ? ["server_error", null] : ["invalid_request_error", null]);
  return { error: { message, type, param, code } };
}

/** Errors under /openai leave in OpenAI's shape, so OpenAI clients raise their usual exceptions. */
export function registerOpenAIErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (Array.isArray(err.validation)) {
      const first = err.validation[0];
      const param = first ? jsonPointerToFieldPath(first.instancePath ?? "") || null : null;
      return reply.code(400).send(openAIError(400, `invalid request: ${param ?? "body"}: ${first?.message ?? "is invalid"}`, param));
    }
    const response = toErrorResponse(err);
    if (response.unexpected) request.log.error({ err }, "request failed");
    // A retried completion would run its query again; only overload is worth a retry.
    if (response.statusCode !== 429 && response.statusCode !== 503) reply.header("x-should-retry", "false");
    return reply.code(response.statusCode).send(openAIError(response.statusCode, response.body.error.message));
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(openAIError(404, `no route for ${request.method} ${request.url.split("?")[0]}`)));
}
