import type { Dispatcher } from "undici";
import { readServerSentEvents } from "@ark/types";
import { abortError, EngineError } from "../../errors.js";
import { sanitizeRemoteText } from "../../remote-text.js";
import type { HttpPools } from "../../http/pools.js";
import { parseRetryAfter, type RetryPolicy, retryDelayMs, sleep } from "../../http/retry.js";
import type { ChatRequest, ChatResult } from "../provider.js";
import { parseCompletion } from "./completion.js";
import { classifyFailure, errorDetail, ProviderConnectionError, ProviderHttpError } from "./http-errors.js";
import { StreamAccumulator } from "./stream-accumulator.js";

export interface ChatCompletionsTarget {
  /** Full URL of the chat-completions endpoint, query string included. */
  url: URL;
  headers: Record<string, string>;
  /** How errors name the model and the endpoint. */
  description: string;
  pools: HttpPools;
  retry: RetryPolicy;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** POSTs a chat-completions body, streaming or not, retrying 408/409/429/5xx and broken connections (bounded). */
export async function sendChatCompletions(target: ChatCompletionsTarget, body: Record<string, unknown>, request: ChatRequest): Promise<ChatResult> {
  const { signal } = request;
  const payload = JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal, target.description);
    const accumulator = new StreamAccumulator(target.description, request.onDelta);
    try {
      return await attemptOnce(target, payload, request, accumulator);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal, target.description);
      const failure = classifyFailure(error);
      const retry = failure.retryable && attempt < target.retry.maxAttempts && !accumulator.deltasSent;
      if (!retry) {
        if (error instanceof EngineError) throw error;
        const attempts = failure.retryable && attempt > 1 ? ` (gave up after ${attempt} attempts)` : "";
        throw new EngineError(failure.code, `${target.description}: ${failure.detail}${attempts}`, { cause: error, retryable: failure.retryable });
      }
      try {
        await sleep(retryDelayMs(attempt, target.retry, failure.retryAfterMs), signal);
      } catch {
        throw abortError(signal!, target.description);
      }
    }
  }
}

async function attemptOnce(target: ChatCompletionsTarget, payload: string, request: ChatRequest, accumulator: StreamAccumulator): Promise<ChatResult> {
  const response = await target.pools.forOrigin(target.url.origin).request({
    path: target.url.pathname + target.url.search,
    method: "POST",
    headers: {
      ...target.headers,
      "content-type": "application/json",
      accept: request.stream ? "text/event-stream" : "application/json",
    },
    body: payload,
    signal: request.signal,
    headersTimeout: target.headersTimeoutMs,
    bodyTimeout: target.bodyTimeoutMs,
  });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    const text = await readCapped(response.body, MAX_ERROR_BODY_BYTES);
    throw new ProviderHttpError(response.statusCode, errorDetail(text, Object.values(target.headers)), parseRetryAfter(response.headers));
  }
  if (!request.stream) {
    const text = await response.body.text();
    return parseCompletion(parseJson(text, target.description, "response", target.headers), target.description);
  }
  return readStream(response.body, accumulator, target.description, target.headers);
}

async function readStream(body: Dispatcher.ResponseData["body"], accumulator: StreamAccumulator, where: string, headers: Record<string, string>): Promise<ChatResult> {
  let done = false;
  for await (const { data } of readServerSentEvents(body as AsyncIterable<Buffer>)) {
    if (data.trim() === "[DONE]") done = true;
    else if (!done) accumulator.accept(parseJson(data, where, "stream chunk", headers) as never);
  }
  if (!done && !accumulator.finished) throw new ProviderConnectionError("stream ended before the completion finished");
  return accumulator.result();
}

async function readCapped(body: Dispatcher.ResponseData["body"], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size < maxBytes) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
}

function parseJson(text: string, where: string, what: string, headers: Record<string, string>): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const start = sanitizeRemoteText(text, { secrets: Object.values(headers), max: 200 });
    throw new EngineError("PROVIDER_ERROR", `${where}: invalid JSON in ${what}: ${JSON.stringify(start)}`, { cause });
  }
}
