import type { FastifyInstance } from "fastify";

/** While shutting down, responses say `Connection: close`, so keep-alive sockets of in-flight requests do not hold the close open. */
export function registerConnectionDraining(app: FastifyInstance, isShuttingDown: () => boolean): void {
  app.addHook("onSend", async (request, reply) => {
    if (isShuttingDown() && request.raw.httpVersionMajor === 1) reply.header("connection", "close");
  });
}
