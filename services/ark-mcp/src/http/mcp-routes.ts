import type { ServiceApp } from "@ark/service-kit";
import type { HostGuard } from "@ark/service-kit";
import { sendJsonRpcError, type McpSessions } from "./sessions.js";

/** Streamable HTTP at `/` (upstream's path) and `/mcp`: POST messages, GET the session's stream, DELETE ends it. */
export function registerMcpRoutes(app: ServiceApp, sessions: McpSessions, guard: HostGuard): void {
  for (const url of ["/", "/mcp"]) {
    app.route({
      method: ["GET", "POST", "DELETE"],
      url,
      handler: async (req, reply) => {
        reply.hijack();
        const refused = guard(req.headers.host, req.headers.origin);
        if (refused) return sendJsonRpcError(reply.raw, 403, -32000, refused);
        try {
          await sessions.handle(req.raw, reply.raw, req.body);
        } catch (err) {
          req.log.error({ err }, "MCP request failed");
          if (!reply.raw.headersSent) sendJsonRpcError(reply.raw, 500, -32603, "Internal error");
        }
      },
    });
  }
}
