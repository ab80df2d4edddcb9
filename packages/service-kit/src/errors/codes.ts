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
