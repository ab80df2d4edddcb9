import type { FastifyReply } from "fastify";

/** The JSON-RPC error body MCP clients expect on HTTP-level refusals. */
export function sendJsonRpcError(reply: FastifyReply, status: number, message: string, code = -32000) {
  return reply.code(status).type("application/json").send({ jsonrpc: "2.0", error: { code, message }, id: null });
}
