import { randomUUID } from "node:crypto";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServiceApp } from "@ark/service-kit";
import { createFilesysMcpServer, type McpServerContext } from "../mcp/create-mcp-server.js";
import { hostGuardHook } from "./guard-hook.js";
import { hijacked } from "./hijacked.js";
import type { HostGuard } from "@ark/service-kit";
import { sendJsonRpcError } from "./json-rpc-error.js";

const STREAMABLE_HTTP_PATHS = ["/mcp", "/"];

/** Stateful Streamable HTTP: a transport and an MCP server per mcp-session-id; DELETE ends the session. */
export function registerStreamableHttp(app: ServiceApp, ctx: McpServerContext, guard: HostGuard, idleTimeoutMs: number) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const lastSeen = new Map<string, number>();
  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - idleTimeoutMs;
      for (const [id, seen] of lastSeen) {
        if (seen < cutoff)
          void sessions
            .get(id)
            ?.close()
            .catch(() => undefined);
      }
    },
    Math.min(idleTimeoutMs, 60_000),
  );
  sweep.unref();

  async function startSession(req: FastifyRequest, reply: FastifyReply) {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
        lastSeen.set(id, Date.now());
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id && sessions.get(id) === transport) {
        sessions.delete(id);
        lastSeen.delete(id);
        ctx.workspaces.release(id);
      }
    };
    await createFilesysMcpServer(ctx).connect(transport);
    await hijacked(reply, () => transport.handleRequest(req.raw, reply.raw, req.body));
  }

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    const header = req.headers["mcp-session-id"];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) return sendJsonRpcError(reply, 404, "Session not found", -32001);
      lastSeen.set(sessionId, Date.now());
      return hijacked(reply, () => transport.handleRequest(req.raw, reply.raw, req.body));
    }
    if (req.method === "POST" && isInitializeRequest(req.body)) return startSession(req, reply);
    return sendJsonRpcError(reply, 400, "Bad Request: no valid mcp-session-id; start with an initialize request");
  }

  for (const url of STREAMABLE_HTTP_PATHS) {
    app.route({ method: ["GET", "POST", "DELETE"], url, onRequest: hostGuardHook(guard), handler: handle });
  }
  app.addHook("preClose", async () => {
    clearInterval(sweep);
    await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
    sessions.clear();
  });
  return { sessionCount: () => sessions.size };
}
