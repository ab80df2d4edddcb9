import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { FuzzRequest } from "./requests.js";

/** Where a fuzz run sends its requests: a base URL, and the CA of an HTTPS one. */
export interface FuzzTarget {
  url: string;
  ca?: string;
}

export interface FuzzOutcome {
  request: FuzzRequest;
  /** The status the service answered, or undefined when it answered none (see `error`). */
  status?: number;
  /** The first bytes of the answer. */
  body: string;
  error?: string;
  /** How long it took, in milliseconds. */
  ms: number;
}

export interface SendOptions {
  /** Requests in flight at once (one keep-alive connection each). */
  concurrency?: number;
  /** How long to wait for the response head before calling the request unanswered. */
  headTimeoutMs?: number;
  /** A response body quiet this long is a stream (a watch, SSE): the request ends there. */
  bodyIdleMs?: number;
}

const KEEP = 400;

/** Sends the requests with bounded concurrency over keep-alive connections and says what each got. */
export async function sendFuzzRequests(target: FuzzTarget, requests: readonly FuzzRequest[], options: SendOptions = {}): Promise<FuzzOutcome[]> {
  const concurrency = options.concurrency ?? 8;
  const base = new URL(target.url);
  const https = base.protocol === "https:";
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency, ...(target.ca ? { ca: target.ca } : {}) }) : new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  const timing = { head: options.headTimeoutMs ?? 15_000, idle: options.bodyIdleMs ?? 1_500 };
  const outcomes = Array.from<FuzzOutcome>({ length: requests.length });
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index]!;
      if (request.raw) {
        outcomes[index] = await sendRaw(base, target.ca, request, timing);
        continue;
      }
      const outcome = await sendOne(base, https, target.ca, agent, request, timing);
      // A connection reset before any answer (most often a kept-alive one the server closed as it was reused): once more.
      if (outcome.status === undefined && /ECONNRESET|EPIPE/.test(outcome.error ?? "") && !closedOverLimit(outcome)) {
        const again = await sendOne(base, https, target.ca, undefined, request, timing);
        outcomes[index] = again.status === undefined ? { ...again, error: `${again.error} (on a new connection too)` } : again;
      } else outcomes[index] = outcome;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return outcomes;
}

function sendOne(base: URL, https: boolean, ca: string | undefined, agent: HttpAgent | undefined, request: FuzzRequest, timing: { head: number; idle: number }): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    let settled = false;
    let headTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: Omit<FuzzOutcome, "request" | "ms">) => {
      if (settled) return;
      settled = true;
      clearTimeout(headTimer);
      resolve({ request, ...outcome, ms: Date.now() - started });
    };
    const hasHost = request.headers.some(([name]) => name.toLowerCase() === "host");
    const headers = [...request.headers.flat(), ...(hasHost ? [] : ["host", base.host])];
    let req: ReturnType<typeof httpRequest> | undefined;
    try {
      req = (https ? httpsRequest : httpRequest)({
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: `${base.pathname.replace(/\/$/, "")}${request.path}`,
        headers,
        ...(agent ? { agent } : { agent: false, ...(ca ? { ca } : {}) }),
        servername: "localhost",
        setHost: false,
      });
    } catch (err) {
      // Node's client refuses to send it (a header or path it cannot encode): nothing to learn from the server.
      finish({ body: "", error: `client refused: ${(err as Error).message}` });
      return;
    }
    headTimer = setTimeout(() => {
      finish({ body: "", error: `no response head in ${timing.head} ms` });
      req?.destroy();
    }, timing.head);
    req.on("response", (res: IncomingMessage) => {
      clearTimeout(headTimer);
      readBody(res, timing.idle).then((body) => finish({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => finish({ body: "", error: `${err.code ?? ""} ${err.message}` }));
    req.end(request.body);
  });
}

function readBody(res: IncomingMessage, idleMs: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let idle: NodeJS.Timeout;
    const done = () => {
      clearTimeout(idle);
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        res.destroy();
        done();
      }, idleMs);
    };
    arm();
    res.on("data", (chunk: Buffer) => {
      if (kept < KEEP) {
        chunks.push(chunk.subarray(0, KEEP - kept));
        kept += chunk.length;
      }
      arm();
    });
    res.on("end", done);
    res.on("error", done);
    res.on("close", done);
  });
}

/** Writes the bytes on a new connection and reads the status line of whatever comes back. */
function sendRaw(base: URL, ca: string | undefined, request: FuzzRequest, timing: { head: number; idle: number }): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const port = Number(base.port);
    const socket: Socket = base.protocol === "https:" ? tlsConnect({ host: base.hostname, port, servername: "localhost", ...(ca ? { ca } : {}) }) : netConnect({ host: base.hostname, port });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: string) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ request, ...(status ? { status: Number(status) } : {}), body: text.slice(0, KEEP), ms: Date.now() - started, ...(error && !status ? { error } : {}) });
    };
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(), ms);
    };
    socket.once(base.protocol === "https:" ? "secureConnect" : "connect", () => {
      socket.write(request.raw!);
      arm(timing.idle);
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // The status line is all a raw case needs; the server may keep the connection open after it.
      if (/^HTTP\/1\.[01] \d{3}/.test(Buffer.concat(chunks).toString("latin1"))) finish();
      else arm(timing.idle);
    });
    socket.on("end", () => finish());
    socket.on("error", (err: NodeJS.ErrnoException) => finish(`${err.code ?? ""} ${err.message}`));
    arm(timing.head);
  });
}

/** The outcomes a service got wrong: a 5xx, or no answer at all to a well-formed request. */
export function fuzzFailures(outcomes: readonly FuzzOutcome[], ignore: (outcome: FuzzOutcome) => boolean = () => false): string[] {
  return outcomes
    .filter((o) => !ignore(o))
    .filter((o) => (o.status !== undefined && o.status >= 500) || (o.status === undefined && !o.request.raw && !o.error?.startsWith("client refused") && !closedOverLimit(o)))
    .map(describeOutcome);
}

// A server may answer 413 and close while a body over its limit is still being written; the client then sees a reset.
function closedOverLimit(outcome: FuzzOutcome): boolean {
  return outcome.request.kind === "huge-body" && /ECONNRESET|EPIPE/.test(outcome.error ?? "");
}

export function describeOutcome(o: FuzzOutcome): string {
  const request = o.request;
  const head = request.raw
    ? `RAW ${JSON.stringify(request.raw.toString("latin1").slice(0, 120))}`
    : `${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers.map(([n, v]) => `${n}: ${v.slice(0, 60)}`))}`;
  const body = request.body ? ` body(${request.body.length}B)=${JSON.stringify(request.body.subarray(0, 160).toString("latin1"))}` : "";
  return `[${request.kind}] ${head}${body} → ${o.status ?? o.error} ${o.body.slice(0, 300)}`;
}
