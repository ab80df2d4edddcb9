import type { FastifyReply } from "fastify";

/** Hands the raw response to an MCP transport; if the transport throws, answers 500 itself (fastify no longer will). */
export async function hijacked(reply: FastifyReply, handle: () => Promise<void>): Promise<void> {
  reply.hijack();
  try {
    await handle();
  } catch (err) {
    reply.log.error({ err }, "MCP transport failed");
    if (!reply.raw.headersSent) {
      reply.raw.writeHead(500, { "content-type": "application/json" });
      reply.raw.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null }));
    } else reply.raw.end();
  }
}
