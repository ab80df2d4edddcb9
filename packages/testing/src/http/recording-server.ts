import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedHttpRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type RecordingResponder = (request: RecordedHttpRequest, res: ServerResponse) => void;

export interface RecordingServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Every request received, in order, body read in full. */
  readonly requests: RecordedHttpRequest[];
  /** Replace how requests are answered (a test scripts its own answers). */
  respond(responder: RecordingResponder): void;
  /** Forget the recorded requests and restore the initial responder. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server that records every request and answers through a replaceable responder: a stand-in for the
 * service on the other end of a client under test (HTTP tools, memory, health probes).
 */
export async function startRecordingServer(initial: RecordingResponder = (_req, res) => res.end()): Promise<RecordingServer> {
  const requests: RecordedHttpRequest[] = [];
  let responder = initial;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(request);
      responder(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    respond(next) {
      responder = next;
    },
    reset() {
      requests.length = 0;
      responder = initial;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
