import { ClassifiedError } from "@ark/types";
import { classificationOf, httpStatusOf, type ErrorCode } from "./codes.js";

/** One invalid field: a dotted path (`body.spec.model`) and what is wrong with it. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ArkErrorOptions {
  cause?: unknown;
  /** Safe to show to the caller; validation errors use FieldError[]. */
  details?: unknown;
}

/** The one error type of ARK services: a closed code (its origin follows from it), a message for the caller, the cause kept for logs. */
export class ArkError extends ClassifiedError {
  override readonly name = "ArkError";
  declare readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: ArkErrorOptions = {}) {
    const { origin, retryable } = classificationOf(code);
    super(origin, code, message, { cause: options.cause, retryable });
    this.details = options.details;
  }

  get httpStatus(): number {
    return httpStatusOf(this.code);
  }

  static invalidFields(fields: FieldError[], message?: string): ArkError {
    const summary = message ?? fields.map((f) => `${f.field}: ${f.message}`).join("; ");
    return new ArkError("INVALID_INPUT", summary, { details: fields });
  }
}

export function isArkError(value: unknown): value is ArkError {
  return value instanceof ArkError;
}
