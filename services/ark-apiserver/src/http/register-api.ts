import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../api/context.js";
import { statusErrors } from "../api/status.js";
import { impersonatedUser } from "../auth/impersonation.js";
import { requestAttributes } from "../rbac/request-attributes.js";
import type { ResourceType } from "../resource-type.js";
import { isOpenPath } from "./auth.js";
import { registerDiscoveryRoutes } from "./discovery-routes.js";
import { setRequestUser } from "./request-user.js";
import { resourceRouter } from "./resource-routes.js";
import { sendError } from "./send.js";

const RESOURCE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * The Kubernetes API on a fastify app: raw bodies; every request but the probes authenticated (bearer token:
 * the bootstrap admin token or a ServiceAccount token), impersonation applied, and authorized by RBAC before
 * any route runs; then discovery and resources.
 */
export function registerKubernetesApi(app: FastifyInstance, ctx: ApiContext, resources: readonly ResourceType[]): void {
  // Bodies stay raw: each handler decodes by content type (JSON, YAML, patches, protobuf).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.addHook("onRequest", async (request, reply) => {
    if (isOpenPath(request.url)) return;
    try {
      const authenticated = await ctx.access.authenticator.authenticate(request.headers.authorization);
      if (!authenticated) throw statusErrors.unauthorized();
      const user = impersonatedUser(authenticated, request.headers, ctx.access.authorizer);
      ctx.access.authorizer.check(user, requestAttributes(request.method, new URL(request.url, "http://localhost")));
      setRequestUser(request.raw, user);
    } catch (err) {
      return sendError(reply, err);
    }
  });
  app.addHook("preClose", async () => ctx.hub.closeAll());

  for (const probe of ["/livez", "/readyz", "/healthz"]) app.get(probe, async (_request, reply) => reply.type("text/plain").send("ok"));
  registerDiscoveryRoutes(app, resources);
  const route = resourceRouter(ctx, resources);
  for (const prefix of ["/api/*", "/apis/*"]) app.route({ method: [...RESOURCE_METHODS], url: prefix, handler: route });
}
