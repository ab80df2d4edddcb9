import { ClassifiedError, type ClassifiedErrorOptions, type ErrorOrigin } from "@ark/types";

/** Each code's origin (docs/architecture.md §10); a third party's failure is retryable only when the raiser says so. */
const ENGINE_ERROR_ORIGINS = {
  PROVIDER_ERROR: "third-party",
  PROVIDER_RATE_LIMITED: "third-party",
  PROVIDER_UNAUTHORIZED: "third-party",
  PROVIDER_BAD_REQUEST: "third-party",
  INVALID_OUTPUT: "third-party",
  MAX_ITERATIONS: "user",
  CANCELED: "user",
  TIMEOUT: "user",
  TOOL_NOT_FOUND: "user",
  TOOL_FAILED: "third-party",
  TEMPLATE_ERROR: "user",
  PARAMETER_ERROR: "user",
  CONFIG_ERROR: "user",
  MEMORY_ERROR: "third-party",
  ENGINE_ERROR: "system",
  A2A_ERROR: "third-party",
  A2A_INTERRUPTED: "third-party",
} as const satisfies Record<string, ErrorOrigin>;

export type EngineErrorCode = keyof typeof ENGINE_ERROR_ORIGINS;
export const ENGINE_ERROR_CODES = Object.keys(ENGINE_ERROR_ORIGINS) as EngineErrorCode[];

/** The one error type the engine throws; `code` is closed, `message` names the resource (never a secret). */
export class EngineError extends ClassifiedError {
  override readonly name = "EngineError";
  declare readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: ClassifiedErrorOptions) {
    super(ENGINE_ERROR_ORIGINS[code], code, message, options);
  }
}

export function isEngineError(error: unknown, code?: EngineErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

/** The error to throw once `signal` has aborted: TIMEOUT for a timeout reason, else CANCELED. */
export function abortError(signal: AbortSignal, what: string): EngineError {
  const reason: unknown = signal.reason;
  if (reason instanceof EngineError) return reason;
  if (reason instanceof Error && reason.name === "TimeoutError") {
    return new EngineError("TIMEOUT", `${what}: timed out`, { cause: reason });
  }
  return new EngineError("CANCELED", `${what}: canceled`, { cause: reason });
}
