import { EngineError, type EngineErrorCode } from "../../errors.js";
import { sanitizeRemoteText } from "../../remote-text.js";

/** A non-2xx answer from the provider (internal; becomes an EngineError). */
export class ProviderHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}: ${detail}`);
  }
}

/** The connection broke or the stream ended early (internal; retried like a 5xx). */
export class ProviderConnectionError extends Error {}

const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export interface ClassifiedFailure {
  code: EngineErrorCode;
  detail: string;
  retryable: boolean;
  retryAfterMs?: number;
}

export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof ProviderHttpError) {
    const { status } = error;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return { code: httpStatusCode(status), detail: error.message, retryable, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof EngineError) return { code: error.code, detail: error.message, retryable: false };
  if (error instanceof ProviderConnectionError) return { code: "PROVIDER_ERROR", detail: error.message, retryable: true };
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && RETRYABLE_NETWORK_CODES.has(code)) {
    return { code: "PROVIDER_ERROR", detail: `connection failed: ${message} (${code})`, retryable: true };
  }
  return { code: "PROVIDER_ERROR", detail: message, retryable: false };
}

function httpStatusCode(status: number): EngineErrorCode {
  if (status === 401 || status === 403) return "PROVIDER_UNAUTHORIZED";
  if (status === 429) return "PROVIDER_RATE_LIMITED";
  if (status >= 400 && status < 500 && status !== 408 && status !== 409) return "PROVIDER_BAD_REQUEST";
  return "PROVIDER_ERROR";
}

/** The provider's own words from an error body (`{error: {message}}`), else the start of the text; sanitized, the request's `secrets` redacted. */
export function errorDetail(text: string, secrets: readonly string[] = []): string {
  return sanitizeRemoteText(providerWords(text), { secrets }) || "(empty body)";
}

function providerWords(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
    if (typeof parsed.error?.message === "string") return parsed.error.message;
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text;
}
