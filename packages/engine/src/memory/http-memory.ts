import { STATUS_CODES } from "node:http";
import { backoffDelay } from "@ark/types";
import { abortError, EngineError } from "../errors.js";
import { type HttpPools, sharedHttpPools } from "../http/pools.js";
import { parseRetryAfter, sleep } from "../http/retry.js";
import { sanitizeRemoteText } from "../remote-text.js";
import type { ChatMessage } from "../messages.js";
import type { SessionMemory } from "./session-memory.js";

/** Per request, as upstream's memory client (docs/upstream-compat.md §9.2); the query's own signal still applies. */
export const DEFAULT_MEMORY_TIMEOUT_MS = 30_000;
const USER_AGENT = "ark-memory-client/1.0";

/** A 503 with Retry-After (the memory service's database is away) is retried: attempts in all, and the waits' bounds. */
interface MemoryRetryPolicy {
  maxAttempts: number;
  /** The wait after the first 503 when it is longer than the service's Retry-After; doubles with each further one. */
  baseDelayMs: number;
  /** No wait is longer, whatever Retry-After says. */
  maxDelayMs: number;
}

const DEFAULT_MEMORY_RETRY: MemoryRetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 5_000 };
const ROLES: ReadonlySet<string> = new Set(["system", "user", "assistant", "tool"]);

export interface HttpSessionMemoryOptions {
  /** The Memory resource, `namespace/name`: every error names it. */
  memory: string;
  /** The memory service's base URL (the Memory's resolved spec.address). */
  address: string;
  sessionId: string;
  timeoutMs?: number;
  pools?: HttpPools;
  /** Sent with every request: the worker's namespace token for the memory service. */
  headers?: Readonly<Record<string, string>>;
  retry?: MemoryRetryPolicy;
}

/**
 * A session of a memory service speaking the upstream contract: `GET /messages/{session}` → `{"messages": [...]}`
 * (null or absent is empty), `PUT /messages/{session}` with `{"messages": [...]}` (skipped when empty).
 */
export function httpSessionMemory(options: HttpSessionMemoryOptions): SessionMemory {
  const { memory, sessionId } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_MEMORY_TIMEOUT_MS;
  const pools = options.pools ?? sharedHttpPools;
  const url = sessionUrl(memory, options.address, sessionId);
  const retry = options.retry ?? DEFAULT_MEMORY_RETRY;

  // A 503 that says when to come back (postgres-memory while its database is away) is retried a bounded number of
  // times, waiting Retry-After or the backoff, whichever is longer; any other failure fails at once.
  async function call(method: "GET" | "PUT", body: string | undefined, signal: AbortSignal | undefined): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const answer = await attemptCall(method, body, signal);
      if (typeof answer === "string") return answer;
      if (attempt >= retry.maxAttempts) throw new EngineError("MEMORY_ERROR", `${answer.error.message} (${attempt} attempts)`);
      const wait = Math.min(Math.max(answer.retryAfterMs, backoffDelay(attempt, { baseMs: retry.baseDelayMs, maxMs: retry.maxDelayMs })), retry.maxDelayMs);
      try {
        await sleep(wait, signal);
      } catch (error) {
        throw signal?.aborted ? abortError(signal, `memory ${memory}: ${method} ${url.href}`) : error;
      }
    }
  }

  async function attemptCall(method: "GET" | "PUT", body: string | undefined, signal: AbortSignal | undefined): Promise<string | { error: EngineError; retryAfterMs: number }> {
    const what = `memory ${memory}: ${method} ${url.href}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response;
    try {
      response = await pools.forOrigin(url.origin).request({
        path: url.pathname + url.search,
        method,
        headers: {
          ...options.headers,
          accept: "application/json",
          "user-agent": USER_AGENT,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw failure(what, error, signal, timeout, timeoutMs);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw failure(what, error, signal, timeout, timeoutMs);
    }
    const status = response.statusCode;
    if (status < 200 || status > 299) {
      const detail = sanitizeRemoteText(text);
      const error = new EngineError("MEMORY_ERROR", `${what} answered ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd() + (detail ? `: ${detail}` : ""));
      const retryAfterMs = status === 503 ? parseRetryAfter(response.headers) : undefined;
      if (retryAfterMs === undefined) throw error;
      return { error, retryAfterMs };
    }
    return text;
  }

  return {
    memory,
    sessionId,
    async load(signal) {
      return parseMessages(`memory ${memory}: GET ${url.href}`, await call("GET", undefined, signal));
    },
    async append(messages, signal) {
      if (messages.length === 0) return;
      await call("PUT", JSON.stringify({ messages }), signal);
    },
  };
}

function sessionUrl(memory: string, address: string, sessionId: string): URL {
  let base: URL;
  try {
    base = new URL(address);
  } catch {
    throw new EngineError("MEMORY_ERROR", `memory ${memory}: address ${JSON.stringify(address)} is not a URL (spec.address)`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new EngineError("MEMORY_ERROR", `memory ${memory}: address ${JSON.stringify(address)} is not an http(s) URL (spec.address)`);
  }
  const path = base.pathname.replace(/\/+$/, "");
  return new URL(`${base.origin}${path}/messages/${encodeURIComponent(sessionId)}`);
}

function failure(what: string, error: unknown, signal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): EngineError {
  if (error instanceof EngineError) return error;
  if (signal?.aborted) return abortError(signal, what);
  if (timeout.aborted) return new EngineError("MEMORY_ERROR", `${what}: no answer within ${timeoutMs / 1000}s`, { cause: error });
  return new EngineError("MEMORY_ERROR", `${what} failed: ${reasonOf(error)}`, { cause: error });
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (error.message) return error.message;
  return typeof code === "string" ? code : error.name;
}

function parseMessages(what: string, text: string): ChatMessage[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new EngineError("MEMORY_ERROR", `${what}: the answer is not JSON`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new EngineError("MEMORY_ERROR", `${what}: the answer is not a {"messages": [...]} object`);
  const messages = (body as { messages?: unknown }).messages;
  if (messages === null || messages === undefined) return [];
  if (!Array.isArray(messages)) throw new EngineError("MEMORY_ERROR", `${what}: "messages" is not an array`);
  for (const [index, message] of messages.entries()) {
    const role = message && typeof message === "object" ? (message as { role?: unknown }).role : undefined;
    if (typeof role !== "string" || !ROLES.has(role)) {
      throw new EngineError("MEMORY_ERROR", `${what}: messages[${index}] is not a chat message (role system, user, assistant or tool)`);
    }
  }
  return messages as ChatMessage[];
}
