import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../api/context.js";
import { statusErrors } from "../api/status.js";
import type { ResourceType } from "../resource-type.js";
import { bearerTokenChecker, isOpenPath } from "./auth.js";
import { registerDiscoveryRoutes } from "./discovery-routes.js";
import { resourceRouter } from "./resource-routes.js";

const RESOURCE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The Kubernetes API on a fastify app: raw bodies, bearer-token auth, probes, discovery, resources. */
export function registerKubernetesApi(app: FastifyInstance, ctx: ApiContext, resources: readonly ResourceType[], token: string): void {
  // Bodies stay raw: each handler decodes by content type (JSON, YAML, patches, protobuf).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  const tokenMatches = bearerTokenChecker(token);
  app.addHook("onRequest", async (request, reply) => {
    if (isOpenPath(request.url) || tokenMatches(request.headers.authorization)) return;
    const status = statusErrors.unauthorized().status;
    return reply.code(401).type("application/json").send(JSON.stringify(status));
  });
  app.addHook("preClose", async () => ctx.hub.closeAll());

  for (const probe of ["/livez", "/readyz", "/healthz"]) app.get(probe, async (_request, reply) => reply.type("text/plain").send("ok"));
  registerDiscoveryRoutes(app, resources);
  const route = resourceRouter(ctx, resources);
  for (const prefix of ["/api/*", "/apis/*"]) app.route({ method: [...RESOURCE_METHODS], url: prefix, handler: route });
}
