import type { FastifyInstance } from "fastify";
import type { Readiness } from "./readiness.js";

/** GET /health (the process is alive) and GET /ready (every check passes and we are not shutting down). */
export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get("/health", async () => ({ status: "ok" }));
  app.get("/ready", async (_request, reply) => {
    const { ready, ...report } = await readiness.report();
    return reply.code(ready ? 200 : 503).send(report);
  });
}
