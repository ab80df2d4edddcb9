import { writePerTick } from "@ark/service-kit";
import type { FastifyReply } from "fastify";

/** closed's reason: abort() without one builds a DOMException, stack and all, for every stream that ends. */
const CLIENT_GONE = new Error("the client closed the event stream");

/**
 * How long a new stream's headers may wait for its first message to leave with it (one write instead of two per
 * stream). A query's first event follows its create within milliseconds on an idle stack, later under load (20 ms
 * left most loaded streams sending their headers alone in the bench: e2e/bench/REPORT.md, session 21).
 */
const HEADERS_ALONE_AFTER_MS = 250;

export interface EventStream {
  write(chunk: string): void;
  end(): void;
  /** Aborted when the client went away. */
  closed: AbortSignal;
}

/** Starts a Server-Sent Events response on the raw socket; `release` (the principal's stream slot) runs when it closes. */
export function openEventStream(reply: FastifyReply, release: () => void): EventStream {
  const closed = new AbortController();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  // The headers leave with the first messages, in the same write; a stream with nothing to send yet (a query waiting
  // for a worker) sends them on their own after HEADERS_ALONE_AFTER_MS, so its client still learns soon that it is open.
  let headersAlone: NodeJS.Timeout | undefined = setTimeout(() => {
    headersAlone = undefined;
    if (!res.destroyed && !res.writableEnded) res.flushHeaders();
  }, HEADERS_ALONE_AFTER_MS);
  const cancelHeadersAlone = () => {
    if (headersAlone === undefined) return;
    clearTimeout(headersAlone);
    headersAlone = undefined;
  };
  res.on("close", () => {
    cancelHeadersAlone();
    release();
    closed.abort(CLIENT_GONE);
  });
  // A replay's messages (and any burst) leave in one write.
  const write = writePerTick(res);
  return {
    write: (chunk) => {
      cancelHeadersAlone();
      if (!res.writableEnded && !res.destroyed) write(chunk);
    },
    end: () => {
      cancelHeadersAlone();
      if (!res.writableEnded) res.end();
    },
    closed: closed.signal,
  };
}

/** One SSE message; data is JSON on a single line. */
export function sseMessage(fields: { id?: number | string; event?: string; data: unknown }): string {
  let message = "";
  if (fields.id !== undefined) message += `id: ${fields.id}\n`;
  if (fields.event) message += `event: ${fields.event}\n`;
  return `${message}data: ${typeof fields.data === "string" ? fields.data : JSON.stringify(fields.data)}\n\n`;
}
