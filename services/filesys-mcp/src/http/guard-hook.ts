import type { FastifyReply, FastifyRequest } from "fastify";
import type { HostGuard } from "@ark/service-kit";
import { sendJsonRpcError } from "./json-rpc-error.js";

/** A route-level onRequest hook refusing requests whose Host or Origin is not allowed (403). */
export function hostGuardHook(guard: HostGuard) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const problem = guard(req.headers.host, req.headers.origin);
    if (problem) {
      req.log.warn({ host: req.headers.host, origin: req.headers.origin }, problem);
      return sendJsonRpcError(reply, 403, `Forbidden: ${problem}`);
    }
  };
}
