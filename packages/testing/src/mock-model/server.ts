import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHostCheck, DEFAULT_ALLOWED_HOSTS, type HostGuard } from "@ark/service-kit";
import { ReplyScript, type ReplyAction, resolveReply, toAction } from "./replies.js";
import type { ChatCompletionRequestBody, MockChatRequest, MockLatency, MockModel, MockModelOptions, MockReply, ModelMatch, RecordedRequest } from "./types.js";
import { type CompletionContent, completionBody, completionChunks, errorBody, messageText } from "./wire.js";

const DEFAULT_MODEL = "mock-model";
const CHAT_PATHS = new Set(["/v1/chat/completions", "/chat/completions", "/openai/v1/chat/completions"]);
const AZURE_CHAT_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;
const MODEL_PATH = /^(?:\/v1|\/openai\/v1)?\/models(?:\/([^/]+))?$/;

/** Starts an OpenAI-compatible chat-completions server on 127.0.0.1 (ephemeral port unless told). */
export async function startMockModel(options: MockModelOptions = {}): Promise<MockModel> {
  const mock = new MockModelServer(options);
  await mock.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return mock.api();
}

class MockModelServer {
  private readonly server: Server;
  private readonly script: ReplyScript;
  private readonly requests: RecordedRequest[] = [];
  private readonly waiters = new Set<{ count: number; resolve: (requests: RecordedRequest[]) => void }>();
  private readonly pendingTimers = new Map<NodeJS.Timeout, (completed: boolean) => void>();
  private readonly chunkSize: number;
  private readonly hostGuard: HostGuard | undefined;
  private closing = false;
  private address: AddressInfo | undefined;

  constructor(private readonly options: MockModelOptions) {
    this.script = new ReplyScript({ delayMs: options.delayMs, chunkDelayMs: options.chunkDelayMs });
    this.chunkSize = Math.max(1, options.chunkSize ?? 4);
    const allowedHosts = options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS;
    this.hostGuard = allowedHosts.includes("*") ? undefined : createHostCheck(allowedHosts);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, errorBody(500, { message: `mock model: ${String(error)}` }));
        else res.destroy();
      });
    });
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
  }

  api(): MockModel {
    const { port, address } = this.address!;
    const host = address.includes(":") ? `[${address}]` : address;
    const baseUrl = `http://${host}:${port}`;
    const model: MockModel = {
      url: `${baseUrl}/v1`,
      baseUrl,
      port,
      requests: this.requests,
      script: (...args: [ModelMatch, ...MockReply[]] | MockReply[]) => {
        const [first, ...rest] = args;
        if (isModelMatch(first)) this.script.push(first, rest as MockReply[]);
        else this.script.push(undefined, args as MockReply[]);
        return model;
      },
      setDefault: (reply: MockReply | undefined, match?: ModelMatch) => {
        this.script.setDefault(match, reply);
        return model;
      },
      setLatency: (latency: MockLatency) => {
        this.script.latency = { ...this.script.latency, ...latency };
        return model;
      },
      pending: (match?: ModelMatch) => this.script.pending(match),
      waitForRequests: (count: number) => this.waitForRequests(count),
      reset: () => {
        this.script.reset();
        this.requests.length = 0;
      },
      close: () => this.close(),
    };
    return model;
  }

  private chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.model !== undefined);
  }

  private waitForRequests(count: number): Promise<RecordedRequest[]> {
    const current = this.chatRequests();
    if (current.length >= count) return Promise.resolve(current);
    return new Promise((resolve) => this.waiters.add({ count, resolve }));
  }

  private notifyWaiters(): void {
    const current = this.chatRequests();
    for (const waiter of this.waiters) {
      if (current.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve(current);
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://mock");
    const refused = this.hostGuard?.(req.headers.host, req.headers.origin);
    if (refused) {
      sendJson(res, 403, errorBody(403, { message: `mock model: ${refused}: refused as a possible DNS rebinding; add the name to ALLOWED_HOSTS to allow it` }));
      return;
    }
    const rawBody = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseBody(rawBody),
      time: new Date(),
    };
    this.requests.push(recorded);

    if (this.options.apiKey !== undefined && !hasApiKey(req, this.options.apiKey)) {
      sendJson(res, 401, errorBody(401));
      return;
    }

    const azure = AZURE_CHAT_PATH.exec(url.pathname);
    if (req.method === "POST" && (CHAT_PATHS.has(url.pathname) || azure)) {
      if (!isChatBody(recorded.body)) {
        sendJson(res, 400, errorBody(400, { message: "The request body must be a JSON object with `messages`." }));
        return;
      }
      const deployment = azure ? decodeURIComponent(azure[1]!) : undefined;
      const apiVersion = url.searchParams.get("api-version") ?? undefined;
      recorded.model = deployment ?? recorded.body.model ?? DEFAULT_MODEL;
      if (deployment !== undefined) recorded.deployment = deployment;
      if (apiVersion !== undefined) recorded.apiVersion = apiVersion;
      this.notifyWaiters();
      await this.answerChat(req, res, recorded.body, recorded);
      return;
    }

    const modelPath = MODEL_PATH.exec(url.pathname);
    if (req.method === "GET" && modelPath) {
      const models = this.modelList();
      if (modelPath[1] === undefined) {
        sendJson(res, 200, { object: "list", data: models });
      } else {
        const found = models.find((m) => m.id === decodeURIComponent(modelPath[1]!));
        if (found) sendJson(res, 200, found);
        else sendJson(res, 404, errorBody(404, { message: `The model '${modelPath[1]}' does not exist` }));
      }
      return;
    }

    sendJson(res, 404, errorBody(404, { message: `Unknown path ${req.method} ${url.pathname}` }));
  }

  private modelList(): Array<{ id: string; object: "model"; created: number; owned_by: string }> {
    const names = new Set([DEFAULT_MODEL, ...(this.options.models ?? []), ...this.script.modelNames()]);
    return [...names].map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "ark-mock" }));
  }

  private async answerChat(req: IncomingMessage, res: ServerResponse, body: ChatCompletionRequestBody, recorded: RecordedRequest): Promise<void> {
    const messages = body.messages ?? [];
    const lastUser = [...messages].reverse().find((m) => m.role === "user");
    const request: MockChatRequest = {
      model: recorded.model!,
      body,
      messages,
      lastUserText: messageText(lastUser?.content),
      stream: body.stream === true,
      headers: req.headers,
      path: recorded.path,
      ...(recorded.deployment !== undefined ? { deployment: recorded.deployment } : {}),
      ...(recorded.apiVersion !== undefined ? { apiVersion: recorded.apiVersion } : {}),
    };
    const reply = await resolveReply(this.script.take(request.model), request);
    const action = toAction(reply, request, this.script.latency);
    await this.perform(action, request, res);
  }

  private async perform(action: ReplyAction, request: MockChatRequest, res: ServerResponse): Promise<void> {
    const includeUsage = request.body.stream_options?.include_usage === true;
    switch (action.kind) {
      case "error":
        if (!(await this.wait(action.delayMs, res))) return;
        sendJson(res, action.status, action.body, action.retryAfter !== undefined ? { "retry-after": String(action.retryAfter) } : {});
        return;
      case "completion":
        if (!(await this.wait(action.delayMs, res))) return;
        if (request.stream) await this.stream(res, action.completion, includeUsage, action.chunkDelayMs);
        else sendJson(res, 200, completionBody(action.completion));
        return;
      case "hang":
        if (request.stream && action.afterChunks !== undefined) {
          await this.stream(res, action.completion, includeUsage, action.chunkDelayMs, {
            stopAfter: action.afterChunks,
            ending: "hang",
          });
        }
        // Otherwise leave the request unanswered; close() destroys the socket.
        return;
      case "reset":
        if (request.stream) {
          await this.stream(res, action.completion, includeUsage, action.chunkDelayMs, {
            stopAfter: action.afterChunks ?? 2,
            ending: "reset",
          });
        } else {
          resetSocket(res);
        }
        return;
    }
  }

  private async stream(res: ServerResponse, completion: CompletionContent, includeUsage: boolean, chunkDelayMs: number, cut?: { stopAfter: number; ending: "hang" | "reset" }): Promise<void> {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-request-id": completion.id,
    });
    res.flushHeaders();
    const chunks = completionChunks(completion, this.chunkSize, includeUsage);
    for (const [index, chunk] of chunks.entries()) {
      if (cut && index >= cut.stopAfter) {
        if (cut.ending === "reset") await this.resetAfterDelivery(res, chunkDelayMs);
        return;
      }
      if (index > 0 && !(await this.wait(chunkDelayMs, res))) return;
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    if (cut) {
      if (cut.ending === "reset") await this.resetAfterDelivery(res, chunkDelayMs);
      return;
    }
    res.end("data: [DONE]\n\n");
  }

  /** A RST makes the peer drop data it has not read yet, so give the sent chunks time to arrive first. */
  private async resetAfterDelivery(res: ServerResponse, chunkDelayMs: number): Promise<void> {
    if (await this.wait(Math.max(chunkDelayMs, 50), res)) resetSocket(res);
  }

  /** Waits `ms`; false when the client went away or the server is closing. */
  private wait(ms: number, res: ServerResponse): Promise<boolean> {
    if (this.closing || res.destroyed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onClose = (): void => finish(false);
      const finish = (completed: boolean): void => {
        clearTimeout(timer);
        this.pendingTimers.delete(timer);
        res.off("close", onClose);
        resolve(completed && !res.destroyed);
      };
      const timer = setTimeout(() => finish(true), ms);
      this.pendingTimers.set(timer, finish);
      res.on("close", onClose);
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const finish of this.pendingTimers.values()) finish(false);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

function isModelMatch(value: unknown): value is ModelMatch {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && typeof (value as { model?: unknown }).model === "string";
}

function isChatBody(body: unknown): body is ChatCompletionRequestBody {
  return typeof body === "object" && body !== null && Array.isArray((body as { messages?: unknown }).messages);
}

function hasApiKey(req: IncomingMessage, apiKey: string): boolean {
  return req.headers.authorization === `Bearer ${apiKey}` || req.headers["api-key"] === apiKey;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": `req_mock${Date.now().toString(36)}`,
    ...headers,
  });
  res.end(text);
}

function resetSocket(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  // A TCP RST, not a clean FIN, so clients see ECONNRESET like a dropped upstream.
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}
