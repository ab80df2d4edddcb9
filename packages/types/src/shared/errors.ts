/** Who a failure is due to: the caller's input or config, ARK or its infrastructure, or a service ARK calls. */
export const ERROR_ORIGINS = ["user", "system", "third-party"] as const;
export type ErrorOrigin = (typeof ERROR_ORIGINS)[number];

/** What every error ARK raises says of itself; the worker's retry and the HTTP status read only this. */
export interface ErrorClassification {
  origin: ErrorOrigin;
  retryable: boolean;
  /** Stable, upper-case (`CONFIG_ERROR`, `NOT_FOUND`); the set belongs to the raising layer. */
  code: string;
  /** How long the third party asked to wait (Retry-After). */
  retryAfterMs?: number;
}

export interface ClassifiedErrorOptions {
  cause?: unknown;
  /** Defaults by origin: a system failure is retried, a user's is not, a third party's only when it says so. */
  retryable?: boolean | undefined;
  retryAfterMs?: number | undefined;
}

/**
 * The base of every error ARK raises: origin, retryable and a stable code (docs/architecture.md §10). Layers extend it
 * with their closed code sets (the engine's EngineError, the services' ArkError).
 */
export class ClassifiedError extends Error {
  override readonly name: string = "ClassifiedError";
  readonly origin: ErrorOrigin;
  readonly retryable: boolean;
  readonly code: string;
  readonly retryAfterMs: number | undefined;

  constructor(origin: ErrorOrigin, code: string, message: string, options: ClassifiedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.origin = origin;
    this.code = code;
    this.retryable = options.retryable ?? origin === "system";
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Socket failures: the peer is down or went away, so a later attempt may reach it. */
const CONNECTION_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_REFUSED",
]);

/** A status answered by `origin` (ARK's API: system; a provider or MCP server: third-party); 408/409/429/5xx may pass. */
export function httpStatusClassification(status: number, origin: Exclude<ErrorOrigin, "user">): ErrorClassification {
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  // A 4xx of ARK's own API is the caller's (not found, forbidden, invalid); a third party's stays the third party's.
  return { origin: origin === "system" && !retryable ? "user" : origin, retryable, code: `HTTP_${status}` };
}

function httpStatusOf(error: object): number | undefined {
  const { statusCode, status, code } = error as { statusCode?: unknown; status?: unknown; code?: unknown };
  const value = [statusCode, status, code].find((v) => typeof v === "number" && v >= 400 && v < 600);
  return value as number | undefined;
}

/** The classification the error or, when it wraps one, its cause carries (a ClassifiedError, a socket code, an API status). */
function ownClassification(error: object): ErrorClassification | undefined {
  if (error instanceof ClassifiedError) {
    const { origin, retryable, code, retryAfterMs } = error;
    return { origin, retryable, code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  const { code } = error as { code?: unknown };
  if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return { origin: "system", retryable: true, code: "UNAVAILABLE" };
  const status = httpStatusOf(error);
  return status === undefined ? undefined : httpStatusClassification(status, "system");
}

function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let current = error; typeof current === "object" && current !== null && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}

/** The network code (`ECONNREFUSED`, …) of a connection failure, looked up through the cause chain. */
export function connectionErrorCode(error: unknown): string | undefined {
  const codes = causeChain(error).map((e) => (e as { code?: unknown }).code);
  return codes.find((code): code is string => typeof code === "string" && CONNECTION_ERROR_CODES.has(code));
}

/**
 * Any thrown value's classification: its own or its cause's (a ClassifiedError, a connection failure, an ARK API
 * status); anything else is an unexpected system failure, retried (it may be transient, and retries are bounded).
 */
export function classifyError(error: unknown): ErrorClassification {
  for (const current of causeChain(error)) {
    const classification = ownClassification(current);
    if (classification) return classification;
  }
  return { origin: "system", retryable: true, code: "INTERNAL" };
}
