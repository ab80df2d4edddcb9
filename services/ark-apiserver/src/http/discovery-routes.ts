import type { FastifyInstance, FastifyReply } from "fastify";
import { statusErrors } from "../api/status.js";
import { aggregatedDiscovery, apiGroupList, apiResourceList, legacyApiVersions, negotiateDiscovery, versionInfo } from "../discovery/index.js";
import { openApiV3Root, renderedGroupDoc } from "../openapi/index.js";
import type { ResourceType } from "../resource-type.js";
import { sendError } from "./send.js";

function json(reply: FastifyReply, body: unknown, contentType = "application/json"): FastifyReply {
  return reply.code(200).type(contentType).send(JSON.stringify(body));
}

/** /version, /api, /apis (legacy and aggregated), group and group-version lists, /openapi/v3. */
export function registerDiscoveryRoutes(app: FastifyInstance, resources: readonly ResourceType[]): void {
  app.get("/version", async (_request, reply) => json(reply, versionInfo()));

  for (const root of ["core", "apis"] as const) {
    app.get(root === "core" ? "/api" : "/apis", async (request, reply) => {
      const negotiated = negotiateDiscovery(request.headers.accept);
      if (negotiated.aggregated) return json(reply, aggregatedDiscovery(resources, root, negotiated.version), negotiated.contentType);
      return json(reply, root === "core" ? legacyApiVersions() : apiGroupList(resources));
    });
  }

  const groupVersionList = (gv: string, reply: FastifyReply) => {
    const list = apiResourceList(resources, gv);
    return list ? json(reply, list) : sendError(reply, statusErrors.pathNotFound());
  };
  app.get<{ Params: { version: string } }>("/api/:version", async (request, reply) => groupVersionList(request.params.version, reply));
  app.get<{ Params: { group: string; version: string } }>("/apis/:group/:version", async (request, reply) => groupVersionList(`${request.params.group}/${request.params.version}`, reply));
  app.get<{ Params: { group: string } }>("/apis/:group", async (request, reply) => {
    const groups = apiGroupList(resources).groups as { name: string }[];
    const group = groups.find((g) => g.name === request.params.group);
    return group ? json(reply, { kind: "APIGroup", apiVersion: "v1", ...group }) : sendError(reply, statusErrors.pathNotFound());
  });

  app.get("/openapi/v3", async (_request, reply) => json(reply, openApiV3Root(resources)));
  app.get("/openapi/v3/*", async (request, reply) => {
    const path = request.url.split("?")[0]!.slice("/openapi/v3/".length);
    const gv = path.startsWith("apis/") ? path.slice("apis/".length) : path.startsWith("api/") ? path.slice("api/".length) : "";
    const rendered = gv ? renderedGroupDoc(resources, gv) : undefined;
    return rendered ? json(reply, rendered.doc) : sendError(reply, statusErrors.pathNotFound());
  });
}
