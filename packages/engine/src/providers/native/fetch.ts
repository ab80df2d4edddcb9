import { fetch as undiciFetch } from "undici";
import { abortError, EngineError } from "../../errors.js";
import { sharedHttpPools } from "../../http/pools.js";
import { parseRetryAfter, type RetryPolicy, retryDelayMs, sleep } from "../../http/retry.js";
import { classifyFailure, errorDetail, ProviderConnectionError, ProviderHttpError } from "../chat-completions/http-errors.js";
import type { ProviderOptions } from "../config.js";

/** The WHATWG fetch signature the vendor clients (Anthropic, Gemini) and our own calls take. */
export type ProviderFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const MAX_ERROR_BODY_CHARS = 64 * 1024;

/** `options.fetch` if given (the egress guard's hook), else undici's fetch over the shared per-origin pools. */
export function baseFetch(options: ProviderOptions): ProviderFetch {
  if (options.fetch) return options.fetch;
  const pools = options.pools ?? sharedHttpPools;
  return (input, init) => {
    const url = typeof input === "string" || input instanceof URL ? new URL(input) : new URL(input.url);
    return undiciFetch(url, { ...(init as object), dispatcher: pools.forOrigin(url.origin) }) as unknown as Promise<Response>;
  };
}

/** A fetch that adds the Model's spec headers to every request, over the vendor client's own. */
export function withModelHeaders(fetch: ProviderFetch, headers: Record<string, string> | undefined): ProviderFetch {
  if (!headers || Object.keys(headers).length === 0) return fetch;
  return (input, init) => {
    const merged = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return fetch(input, { ...init, headers: merged });
  };
}

/** What one chat call saw at the HTTP layer, so errors from a vendor client can be reported in our words. */
export interface CallState {
  failure?: Error;
  attempts: number;
}

/**
 * Wraps a fetch so every non-2xx answer becomes a ProviderHttpError (the vendor's own message) and 408/409/429/5xx
 * and broken connections are retried with backoff honouring Retry-After. Vendor clients run with their retries off.
 */
export function retryingFetch(fetch: ProviderFetch, policy: RetryPolicy, state: CallState): ProviderFetch {
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    for (let attempt = 1; ; attempt++) {
      state.attempts = attempt;
      let failure: Error;
      try {
        const response = await fetch(input, init);
        if (response.ok) {
          state.failure = undefined;
          return response;
        }
        const text = (await response.text().catch(() => "")).slice(0, MAX_ERROR_BODY_CHARS);
        const detail = redact(errorDetail(text), init?.headers);
        const retryAfter = parseRetryAfter(Object.fromEntries(response.headers)) ?? retryInfoDelayMs(text);
        failure = new ProviderHttpError(response.status, detail, retryAfter);
      } catch (error) {
        if (signal?.aborted) throw error;
        failure = error instanceof Error ? error : new Error(String(error));
        // fetch reports "fetch failed" with the socket's error (and code) as the cause; only known network codes retry.
        const cause = failure.cause as { code?: unknown; message?: unknown } | undefined;
        if (cause && typeof cause.message === "string") {
          failure = Object.assign(new Error(`${failure.message}: ${cause.message}`), typeof cause.code === "string" ? { code: cause.code } : {});
        }
      }
      state.failure = failure;
      const classified = classifyFailure(failure);
      const body = init?.body;
      const replayable = body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array;
      if (!classified.retryable || attempt >= policy.maxAttempts || !replayable) throw failure;
      await sleep(retryDelayMs(attempt, policy, classified.retryAfterMs), signal);
    }
  };
}

/** Google APIs say when to retry in the body: `error.details[]` of type RetryInfo with `retryDelay: "13s"`. */
function retryInfoDelayMs(text: string): number | undefined {
  try {
    const details = (JSON.parse(text) as { error?: { details?: { "@type"?: string; retryDelay?: string }[] } }).error?.details ?? [];
    const delay = details.find((d) => d["@type"]?.endsWith("google.rpc.RetryInfo"))?.retryDelay;
    const seconds = delay?.endsWith("s") ? Number(delay.slice(0, -1)) : Number.NaN;
    return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const CREDENTIAL_HEADERS = new Set(["authorization", "x-api-key", "api-key", "x-goog-api-key", "x-amz-security-token"]);

// A gateway may echo the request's key in its error text; no credential sent in a header reaches an error message.
function redact(detail: string, headers: RequestInit["headers"]): string {
  let out = detail;
  for (const [name, value] of new Headers(headers ?? {})) {
    if (!CREDENTIAL_HEADERS.has(name)) continue;
    for (const secret of [value, value.replace(/^\S+\s+/, "")]) {
      if (secret.length >= 6) out = out.split(secret).join("[redacted]");
    }
  }
  return out;
}

/** Any error out of a vendor client → the engine's EngineError naming the model and endpoint (never the key). */
export function providerError(error: unknown, state: CallState, signal: AbortSignal | undefined, description: string): EngineError {
  if (signal?.aborted) return abortError(signal, description);
  if (error instanceof EngineError) return error;
  const cause = rootFailure(error) ?? state.failure ?? error;
  const failure = classifyFailure(cause);
  const attempts = failure.retryable && state.attempts > 1 ? ` (gave up after ${state.attempts} attempts)` : "";
  return new EngineError(failure.code, `${description}: ${failure.detail}${attempts}`, { cause: error, retryable: failure.retryable });
}

function rootFailure(error: unknown): Error | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof ProviderHttpError || current instanceof ProviderConnectionError) return current;
  }
  return undefined;
}
