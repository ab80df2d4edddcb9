import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Principal } from "@ark/service-kit";

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** Who opened it; only they may use it (a session id seen by someone else opens nothing). */
  principal: Principal;
  lastUsed: number;
  /** POSTs whose response is still open (a running query keeps its session alive; the GET stream does not). */
  open: number;
}

/**
 * Stateful Streamable HTTP: a client's `notifications/cancelled` must reach the server instance running its
 * request, so each session keeps its own server. Sessions unused for `idleMs` are closed.
 */
export class McpSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly createServer: (principal: Principal) => McpServer,
    private readonly idleMs: number,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(idleMs, 60_000)).unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal): Promise<void> {
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = this.sessions.get(sessionId);
      if (!session || session.principal.id !== principal.id) return sendJsonRpcError(res, 404, -32001, "Session not found");
      return this.serve(session, req, res, body);
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) {
      return sendJsonRpcError(res, 400, -32000, "Bad Request: no valid session ID; start with an initialize request");
    }
    const server = this.createServer(principal);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void this.sessions.set(id, session),
    });
    const session: Session = { transport, server, principal, lastUsed: Date.now(), open: 0 };
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await this.serve(session, req, res, body);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map((s) => s.server.close().catch(() => undefined)));
  }

  private async serve(session: Session, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    session.lastUsed = Date.now();
    if (req.method === "POST") {
      session.open += 1;
      res.once("close", () => {
        session.open -= 1;
        session.lastUsed = Date.now();
      });
    }
    await session.transport.handleRequest(req, res, body);
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [id, session] of this.sessions) {
      if (session.open === 0 && session.lastUsed < cutoff) {
        this.sessions.delete(id);
        void session.server.close().catch(() => undefined);
      }
    }
  }
}

export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}
