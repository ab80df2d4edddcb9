import { ClassifiedError, httpStatusClassification } from "@ark/types";
import { request } from "undici";
import { findEgressRefusal, type EgressGuard } from "../tools/egress.js";
import { sanitizeRemoteText } from "../remote-text.js";

/** Where an A2A server publishes its card (A2A 1.0), and the 0.3 name tried when that one is missing (docs/architecture.md §7 item 8). */
const AGENT_CARD_PATHS = ["/.well-known/agent-card.json", "/.well-known/agent.json"] as const;
/** Largest agent card read: a card is a few KB; a bigger answer is refused rather than buffered. */
export const MAX_AGENT_CARD_BYTES = 256 * 1024;
const DEFAULT_CARD_TIMEOUT_MS = 30_000;

/** Why a card could not be read; the A2AServer's condition reason is derived from it. */
export type A2ACardProblem = "unreachable" | "refused" | "http-status" | "not-found" | "not-json" | "too-large" | "invalid";

/** The A2A server's agent card could not be read: the server's failure, retried when it may pass (unreachable, 5xx). */
export class A2ACardError extends ClassifiedError {
  override readonly name = "A2ACardError";
  constructor(
    readonly problem: A2ACardProblem,
    message: string,
    options?: { retryable?: boolean },
  ) {
    super("third-party", "A2A_CARD", message, { retryable: options?.retryable ?? problem === "unreachable" });
  }
}

export interface FetchAgentCardOptions {
  headers?: Record<string, string>;
  egress: EgressGuard;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxBytes?: number;
}

export interface FetchedAgentCard {
  /** The card as the server wrote it (JSON object). */
  card: Record<string, unknown>;
  /** Where it was read. */
  url: string;
}

/**
 * Reads an A2A server's agent card: `agent-card.json`, then `agent.json` when the first is missing (404/405/410).
 * The call goes through the egress guard (no redirects followed), the body is capped, and it must be a JSON object
 * with a name. Throws A2ACardError saying what was wrong.
 */
export async function fetchAgentCard(address: string, options: FetchAgentCardOptions): Promise<FetchedAgentCard> {
  const base = address.replace(/\/+$/, "");
  let missing: string | undefined;
  for (const path of AGENT_CARD_PATHS) {
    const url = `${base}${path}`;
    const result = await readCard(url, options);
    if (result === "missing") {
      missing = url;
      continue;
    }
    return { card: result, url };
  }
  throw new A2ACardError("not-found", `no agent card at ${base}${AGENT_CARD_PATHS[0]} nor ${missing ?? `${base}${AGENT_CARD_PATHS[1]}`} (404)`);
}

async function readCard(url: string, options: FetchAgentCardOptions): Promise<Record<string, unknown> | "missing"> {
  const secrets = Object.values(options.headers ?? {});
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_CARD_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new A2ACardError("invalid", `address ${url} is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new A2ACardError("invalid", `address ${url} is not http or https`);
  let response: Awaited<ReturnType<typeof request>>;
  try {
    options.egress.checkUrl(parsed);
    response = await request(parsed, {
      method: "GET",
      headers: { accept: "application/json", "a2a-version": "1.0", ...options.headers },
      signal,
      dispatcher: options.egress.dispatcher,
    });
  } catch (error) {
    const refusal = findEgressRefusal(error);
    if (refusal) throw new A2ACardError("refused", refusal.message);
    const reason = timeout.aborted ? "timed out" : describe(error);
    throw new A2ACardError("unreachable", `cannot reach ${url}: ${reason}`);
  }
  if (response.statusCode === 404 || response.statusCode === 405 || response.statusCode === 410) {
    await response.body.dump();
    return "missing";
  }
  if (response.statusCode >= 300) {
    const text = await response.body.text().catch(() => "");
    const detail = text ? `: ${sanitizeRemoteText(text, { secrets, max: 200 })}` : "";
    throw new A2ACardError("http-status", `agent card ${url} answered HTTP ${response.statusCode}${detail}`, httpStatusClassification(response.statusCode, "third-party"));
  }
  const maxBytes = options.maxBytes ?? MAX_AGENT_CARD_BYTES;
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body.destroy();
    throw new A2ACardError("too-large", `agent card ${url} is ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new A2ACardError("too-large", `agent card ${url} is more than the ${maxBytes} bytes allowed`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof A2ACardError) throw error;
    throw new A2ACardError("unreachable", `reading ${url}: ${describe(error)}`);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let card: unknown;
  try {
    card = JSON.parse(text);
  } catch {
    throw new A2ACardError("not-json", `agent card ${url} is not JSON: ${sanitizeRemoteText(text, { secrets, max: 80 }) || "(empty)"}`);
  }
  if (typeof card !== "object" || card === null || Array.isArray(card)) throw new A2ACardError("invalid", `agent card ${url} is not a JSON object`);
  const name = (card as { name?: unknown }).name;
  if (typeof name !== "string" || !name.trim()) throw new A2ACardError("invalid", `agent card ${url} has no name`);
  return card as Record<string, unknown>;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}
