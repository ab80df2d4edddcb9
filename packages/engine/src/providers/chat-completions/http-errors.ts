import { ClassifiedError, classifyError, connectionErrorCode, httpStatusClassification } from "@ark/types";
import { EngineError, type EngineErrorCode } from "../../errors.js";
import { sanitizeRemoteText } from "../../remote-text.js";

/** A non-2xx answer from the provider (internal; becomes an EngineError): retryable on 408/409/429/5xx. */
export class ProviderHttpError extends ClassifiedError {
  constructor(
    readonly status: number,
    readonly detail: string,
    retryAfterMs: number | undefined,
  ) {
    const { retryable, code } = httpStatusClassification(status, "third-party");
    super("third-party", code, `HTTP ${status}: ${detail}`, { retryable, retryAfterMs });
  }
}

/** The connection broke or the stream ended early (internal; retried like a 5xx). */
export class ProviderConnectionError extends ClassifiedError {
  constructor(message: string) {
    super("third-party", "UNAVAILABLE", message, { retryable: true });
  }
}

export interface ClassifiedFailure {
  code: EngineErrorCode;
  detail: string;
  retryable: boolean;
  retryAfterMs?: number;
}

/** A provider call's failure by the shared classification (docs/architecture.md §10), with the engine's code. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  // An EngineError raised inside an attempt (a bad answer) is final for this call.
  if (error instanceof EngineError) return { code: error.code, detail: error.message, retryable: false };
  const { retryable, retryAfterMs } = classifyError(error);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ProviderHttpError) {
    return { code: httpStatusCode(error.status), detail: message, retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (error instanceof ProviderConnectionError) return { code: "PROVIDER_ERROR", detail: message, retryable: true };
  const network = connectionErrorCode(error);
  if (network) return { code: "PROVIDER_ERROR", detail: `connection failed: ${message} (${network})`, retryable: true };
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
