import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServiceApp } from "@ark/service-kit";
import { createFilesysMcpServer, type McpServerContext } from "../mcp/create-mcp-server.js";
import { hostGuardHook } from "./guard-hook.js";
import { hijacked } from "./hijacked.js";
import type { HostGuard } from "@ark/service-kit";
import { sendJsonRpcError } from "./json-rpc-error.js";

/** The deprecated HTTP+SSE transport, at `/sse` and at upstream's `/filesys/sse`, each with its messages path. */
const SSE_PREFIXES = ["", "/filesys"];

export function registerSse(app: ServiceApp, ctx: McpServerContext, guard: HostGuard) {
  const transports = new Map<string, SSEServerTransport>();
  const onRequest = hostGuardHook(guard);

  for (const prefix of SSE_PREFIXES) {
    app.get(`${prefix}/sse`, { onRequest }, (req: FastifyRequest, reply: FastifyReply) =>
      hijacked(reply, async () => {
        const transport = new SSEServerTransport(`${prefix}/messages`, reply.raw);
        transports.set(transport.sessionId, transport);
        transport.onclose = () => {
          transports.delete(transport.sessionId);
          ctx.workspaces.release(transport.sessionId);
        };
        await createFilesysMcpServer(ctx).connect(transport);
        req.log.debug({ sessionId: transport.sessionId }, "SSE session started");
      }),
    );

    app.post(`${prefix}/messages`, { onRequest }, async (req: FastifyRequest, reply: FastifyReply) => {
      const sessionId = (req.query as { sessionId?: string }).sessionId;
      const transport = sessionId ? transports.get(sessionId) : undefined;
      if (!transport) return sendJsonRpcError(reply, 404, "Session not found", -32001);
      await hijacked(reply, () => transport.handlePostMessage(req.raw, reply.raw, req.body));
    });
  }
  app.addHook("preClose", async () => {
    await Promise.all([...transports.values()].map((t) => t.close().catch(() => undefined)));
    transports.clear();
  });
}
