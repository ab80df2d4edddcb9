import type { ErrorClassification, ErrorOrigin } from "@ark/types";

/** The closed set of error codes, and the one place they map to HTTP statuses. */
const errorStatus = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

export function httpStatusOf(code: ErrorCode): number {
  return errorStatus[code];
}

const codeByStatus = new Map<number, ErrorCode>(errorCodes.map((code) => [errorStatus[code], code]));

/** The code for an HTTP status from elsewhere (fastify, an upstream); unlisted statuses fall to the nearest class. */
export function errorCodeForStatus(status: number): ErrorCode {
  const exact = codeByStatus.get(status);
  if (exact) return exact;
  return status >= 400 && status < 500 ? "INVALID_INPUT" : "INTERNAL";
}

/** A code's origin and retryability (docs/architecture.md §10): 4xx the caller's, 502/504 an upstream's, else ARK's own. */
export function classificationOf(code: ErrorCode): { origin: ErrorOrigin; retryable: boolean } {
  const status = errorStatus[code];
  if (status < 500) return { origin: "user", retryable: code === "RATE_LIMITED" };
  if (code === "BAD_GATEWAY" || code === "TIMEOUT") return { origin: "third-party", retryable: true };
  return { origin: "system", retryable: code !== "NOT_IMPLEMENTED" };
}

/** The HTTP code for an error classified elsewhere (the engine, the kube client): user → 400, third party → 502/503/504, system → 500/503. */
export function errorCodeForClassification({ origin, retryable, code }: ErrorClassification): ErrorCode {
  if (origin === "user") return "INVALID_INPUT";
  if (origin === "third-party") return code.includes("TIMEOUT") ? "TIMEOUT" : retryable ? "UNAVAILABLE" : "BAD_GATEWAY";
  return code === "UNAVAILABLE" ? "UNAVAILABLE" : "INTERNAL";
}
