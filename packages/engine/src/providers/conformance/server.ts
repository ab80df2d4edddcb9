import type { ServerResponse } from "node:http";
import { type RecordedHttpRequest, type RecordingServer, startRecordingServer } from "@ark/testing";
import { WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { expect } from "vitest";

/** One recorded answer of a vendor API, replayed byte for byte. */
export interface WireResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON body (`application/json`). */
  json?: unknown;
  /** Server-sent events (`text/event-stream`), one write each. */
  sse?: { event?: string; data: unknown }[];
  /** Newline-delimited JSON (`application/x-ndjson`), one write per line (Ollama). */
  ndjson?: unknown[];
  /** Raw chunks with their content type (Bedrock's binary event stream). */
  raw?: { contentType: string; chunks: Uint8Array[] };
  /** Never answer (abort tests). */
  hang?: boolean;
  /** Stream all but the last N chunks, then stall without ending (abort mid-stream). */
  stallBeforeLast?: number;
  /** Stream all but the last N chunks, then end the response (a stream cut short). */
  cutBeforeLast?: number;
}

export interface RecordedWireRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: RecordedHttpRequest["headers"];
  body: unknown;
}

export interface WireServer {
  readonly url: string;
  readonly requests: RecordedWireRequest[];
  /** Answers the next requests in order with these (then 500 "unscripted"). */
  script(...responses: WireResponse[]): void;
  waitForRequests(count: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

/** A local stand-in for a vendor's API on 127.0.0.1: records each request and replays scripted wire responses. */
export async function startWireServer(): Promise<WireServer> {
  let queue: WireResponse[] = [];
  const server: RecordingServer = await startRecordingServer((_request, res) => {
    const next = queue.shift();
    if (!next) {
      res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"unscripted request"}}');
      return;
    }
    void replay(next, res);
  });
  const parse = (request: RecordedHttpRequest): RecordedWireRequest => {
    const url = new URL(request.url, server.url);
    let body: unknown = request.body;
    try {
      body = request.body === "" ? undefined : (JSON.parse(request.body) as unknown);
    } catch {
      // not JSON: kept as text
    }
    return { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body };
  };
  return {
    url: server.url,
    get requests() {
      return server.requests.map(parse);
    },
    script(...responses) {
      queue.push(...responses);
    },
    async waitForRequests(count) {
      await expect.poll(() => server.requests.length, { ...WITHIN_TEST_TIMEOUT, interval: 5 }).toBeGreaterThanOrEqual(count);
    },
    reset() {
      queue = [];
      server.reset();
    },
    close: () => server.close(),
  };
}

async function replay(response: WireResponse, res: ServerResponse): Promise<void> {
  if (response.hang) return;
  const status = response.status ?? 200;
  const headers = { ...response.headers };
  const write = async (contentType: string, chunks: (string | Uint8Array)[]): Promise<void> => {
    res.writeHead(status, { "content-type": contentType, ...headers });
    const withheld = response.stallBeforeLast ?? response.cutBeforeLast;
    const sent = withheld ? chunks.slice(0, -withheld) : chunks;
    for (const chunk of sent) {
      res.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    if (!response.stallBeforeLast) res.end();
  };
  if (response.sse) {
    const frames = response.sse.map(({ event, data }) => `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
    return write("text/event-stream", frames);
  }
  if (response.ndjson)
    return write(
      "application/x-ndjson",
      response.ndjson.map((line) => `${JSON.stringify(line)}\n`),
    );
  if (response.raw) return write(response.raw.contentType, response.raw.chunks);
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(response.json === undefined ? "" : JSON.stringify(response.json));
}
