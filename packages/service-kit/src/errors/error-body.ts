import { ArkError, type FieldError } from "./ark-error.js";
import { ClassifiedError } from "@ark/types";
import { errorCodeForClassification, errorCodeForStatus, httpStatusOf, type ErrorCode } from "./codes.js";

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export interface ErrorResponse {
  statusCode: number;
  body: ErrorBody;
  /** True when the error is not the caller's: log it with its stack. */
  unexpected: boolean;
}

interface FastifyLikeError {
  statusCode?: number;
  message: string;
  code?: string;
  validation?: Array<{ instancePath?: string; message?: string }>;
  validationContext?: string;
}

const GENERIC_MESSAGE = "internal error";

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

function fieldErrors(err: FastifyLikeError): FieldError[] {
  const context = err.validationContext ?? "request";
  return (err.validation ?? []).map((v) => {
    const path = (v.instancePath ?? "").split("/").filter(Boolean).join(".");
    return { field: path ? `${context}.${path}` : context, message: v.message ?? "is invalid" };
  });
}

function isFastifyLikeError(err: unknown): err is FastifyLikeError {
  return err instanceof Error && typeof (err as FastifyLikeError).statusCode === "number";
}

/** Maps any thrown value to a status and an error body; unknown errors never leak their message. */
export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof ArkError) {
    const unexpected = err.httpStatus >= 500;
    const message = err.code === "INTERNAL" ? GENERIC_MESSAGE : err.message;
    return { statusCode: err.httpStatus, body: body(err.code, message, err.details), unexpected };
  }
  // Another layer's error (the engine's, a value source's) maps by its origin; ARK's own faults never leak their message.
  if (err instanceof ClassifiedError) {
    const code = errorCodeForClassification(err);
    const message = err.origin === "system" ? GENERIC_MESSAGE : err.message;
    return { statusCode: httpStatusOf(code), body: body(code, message), unexpected: err.origin !== "user" };
  }
  if (isFastifyLikeError(err) && Array.isArray(err.validation)) {
    const fields = fieldErrors(err);
    const message = fields.map((f) => `${f.field}: ${f.message}`).join("; ");
    return { statusCode: 400, body: body("INVALID_INPUT", message, fields), unexpected: false };
  }
  const status = isFastifyLikeError(err) ? (err.statusCode ?? 500) : 500;
  if (isFastifyLikeError(err) && status >= 400 && status < 500) {
    const code = errorCodeForStatus(status);
    return { statusCode: httpStatusOf(code), body: body(code, err.message), unexpected: false };
  }
  return { statusCode: 500, body: body("INTERNAL", GENERIC_MESSAGE), unexpected: true };
}
