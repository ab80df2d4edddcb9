import { STATUS_CODES } from "node:http";
import { request } from "undici";
import type { EgressGuard } from "./egress.js";

export const MAX_RESPONSE_BYTES = 1024 * 1024;
export const TRUNCATION_NOTE = "[truncated: response exceeded 1 MiB]";
const MAX_REDIRECTS = 10;

export interface HttpToolRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  guard: EgressGuard;
}

export interface HttpToolResponse {
  status: number;
  statusText: string;
  /** The body as text, at most 1 MiB, with the truncation note when it was longer. */
  text: string;
}

/** One HTTP tool call: egress checked for every hop, redirects followed as Go's client does, body capped. */
export async function sendHttpToolRequest(options: HttpToolRequest): Promise<HttpToolResponse> {
  let { url, method, body, headers } = options;
  for (let hop = 0; ; hop++) {
    options.guard.checkUrl(url);
    const response = await request(url, {
      method: method as "GET",
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: options.signal,
      dispatcher: options.guard.dispatcher,
    });
    const location = response.headers["location"];
    if (isRedirect(response.statusCode) && typeof location === "string" && hop < MAX_REDIRECTS) {
      await response.body.dump();
      const next = new URL(location, url);
      // Configured headers may carry secrets (any may come from a Secret): they stay with their origin, whose scheme
      // is part of it, so https→http on the same host drops them too.
      if (next.origin !== url.origin) headers = onlyPlainHeaders(headers);
      url = next;
      // 303, and 301/302 after a POST, continue as a GET without body (net/http does the same).
      if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    const text = await readCapped(response.body);
    return { status: response.statusCode, statusText: STATUS_CODES[response.statusCode] ?? "", text };
  }
}

/** Headers that describe the request and never carry a credential; every other configured header is dropped on leaving the origin. */
const PLAIN_HEADERS = new Set(["accept", "accept-encoding", "accept-language", "cache-control", "content-language", "content-type", "pragma", "user-agent"]);

function onlyPlainHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => PLAIN_HEADERS.has(name.toLowerCase())));
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      body.destroy();
      const kept = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
      return `${new TextDecoder().decode(kept)}\n${TRUNCATION_NOTE}`;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}
