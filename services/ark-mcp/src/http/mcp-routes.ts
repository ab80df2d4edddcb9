import { authenticateOrError, isArkError, type Authenticator, type HostGuard, type ServiceApp } from "@ark/service-kit";
import { sendJsonRpcError, type McpSessions } from "./sessions.js";

/** Streamable HTTP at `/` (upstream's path) and `/mcp`: POST messages, GET the session's stream, DELETE ends it. */
export function registerMcpRoutes(app: ServiceApp, sessions: McpSessions, guard: HostGuard, authenticate: Authenticator): void {
  for (const url of ["/", "/mcp"]) {
    app.route({
      method: ["GET", "POST", "DELETE"],
      url,
      handler: async (req, reply) => {
        reply.hijack();
        const refused = guard(req.headers.host, req.headers.origin);
        if (refused) return sendJsonRpcError(reply.raw, 403, -32000, refused);
        const principal = await authenticateOrError(authenticate, req).catch((err: unknown) => {
          req.log.error({ err }, "authentication failed");
          return undefined;
        });
        if (!principal) return sendJsonRpcError(reply.raw, 503, -32603, "authentication is unavailable");
        if (isArkError(principal)) {
          if (principal.httpStatus === 401) reply.raw.setHeader("www-authenticate", 'Bearer realm="ark-mcp"');
          return sendJsonRpcError(reply.raw, principal.httpStatus, -32001, principal.message);
        }
        try {
          await sessions.handle(req.raw, reply.raw, req.body, principal);
        } catch (err) {
          req.log.error({ err }, "MCP request failed");
          if (!reply.raw.headersSent) sendJsonRpcError(reply.raw, 500, -32603, "Internal error");
        }
      },
    });
  }
}
