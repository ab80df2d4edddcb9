import { randomUUID } from "node:crypto";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServiceApp } from "@ark/service-kit";
import { createFilesysMcpServer, type McpServerContext } from "../mcp/create-mcp-server.js";
import { hostGuardHook } from "./guard-hook.js";
import type { HostGuard } from "./host-guard.js";
import { sendJsonRpcError } from "./json-rpc-error.js";

export const STREAMABLE_HTTP_PATHS = ["/mcp", "/"];

/** Stateful Streamable HTTP: a transport and an MCP server per mcp-session-id; DELETE ends the session. */
export function registerStreamableHttp(app: ServiceApp, ctx: McpServerContext, guard: HostGuard) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  async function startSession(req: FastifyRequest, reply: FastifyReply) {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id && sessions.get(id) === transport) {
        sessions.delete(id);
        ctx.workspaces.release(id);
      }
    };
    await createFilesysMcpServer(ctx).connect(transport);
    reply.hijack();
    await transport.handleRequest(req.raw, reply.raw, req.body);
  }

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    const header = req.headers["mcp-session-id"];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) return sendJsonRpcError(reply, 404, "Session not found", -32001);
      reply.hijack();
      return transport.handleRequest(req.raw, reply.raw, req.body);
    }
    if (req.method === "POST" && isInitializeRequest(req.body)) return startSession(req, reply);
    return sendJsonRpcError(reply, 400, "Bad Request: no valid mcp-session-id; start with an initialize request");
  }

  for (const url of STREAMABLE_HTTP_PATHS) {
    app.route({ method: ["GET", "POST", "DELETE"], url, onRequest: hostGuardHook(guard), handler: handle });
  }
  app.addHook("preClose", async () => {
    await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
    sessions.clear();
  });
  return { sessionCount: () => sessions.size };
}
