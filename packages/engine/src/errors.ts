export const ENGINE_ERROR_CODES = [
  "PROVIDER_ERROR",
  "PROVIDER_RATE_LIMITED",
  "PROVIDER_UNAUTHORIZED",
  "PROVIDER_BAD_REQUEST",
  "INVALID_OUTPUT",
  "MAX_ITERATIONS",
  "CANCELED",
  "TIMEOUT",
  "TOOL_NOT_FOUND",
  "TOOL_FAILED",
  "TEMPLATE_ERROR",
  "PARAMETER_ERROR",
  "CONFIG_ERROR",
  "MEMORY_ERROR",
  "ENGINE_ERROR",
  "A2A_ERROR",
  "A2A_INTERRUPTED",
] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

/** The one error type the engine throws; `code` is closed, `message` names the resource (never a secret). */
export class EngineError extends Error {
  override readonly name = "EngineError";

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
