import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiContext, ApiReply, ResourceRequest } from "../api/context.js";
import { createObject } from "../api/handlers/create.js";
import { deleteCollection } from "../api/handlers/delete-collection.js";
import { deleteObject } from "../api/handlers/delete.js";
import { getObject } from "../api/handlers/get.js";
import { listObjects, selectObjects } from "../api/handlers/list.js";
import { patchObject } from "../api/handlers/patch.js";
import { updateObject } from "../api/handlers/update.js";
import { createReview } from "../api/handlers/reviews.js";
import { createServiceAccountToken } from "../api/handlers/token-request.js";
import { prepareWatch } from "../api/handlers/watch.js";
import { parseResourcePath } from "../api/resource-path.js";
import { statusErrors } from "../api/status.js";
import type { KubeObject } from "../kube-object.js";
import type { ResourceType } from "../resource-type.js";
import { TABLE_CONTENT_TYPE, toTable, wantsTable, type IncludeObject } from "../table/index.js";
import { requestUser } from "./request-user.js";
import { watchClientOf } from "../watch/watch-quota.js";
import { sendApiReply, sendError } from "./send.js";

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get("includeObject");
  return value === "None" || value === "Object" ? value : "Metadata";
}

/** Routes `/api/v1/...` and `/apis/<g>/<v>/...` resource requests to the handlers. */
export function resourceRouter(ctx: ApiContext, resources: readonly ResourceType[]) {
  const byPath = new Map(resources.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]));

  return async function routeResource(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    try {
      const url = new URL(request.url, "http://localhost");
      const path = parseResourcePath(url.pathname);
      const rt = path ? byPath.get(`${path.group}/${path.version}/${path.resource}`) : undefined;
      if (!path || !rt || (!rt.namespaced && path.namespace !== undefined)) throw statusErrors.pathNotFound();
      const req: ResourceRequest = {
        rt,
        query: url.searchParams,
        headers: request.headers,
        ...(path.namespace !== undefined ? { namespace: path.namespace } : {}),
        ...(path.name !== undefined ? { name: path.name } : {}),
        ...(path.subresource !== undefined ? { subresource: path.subresource } : {}),
        ...(Buffer.isBuffer(request.body) ? { body: request.body } : {}),
      };
      const user = requestUser(request.raw);
      if (user) req.user = user;
      checkPathNames(req);
      if (rt.createOnly) {
        if (request.method !== "POST") throw statusErrors.methodNotAllowed(`${request.method} is not supported on ${rt.plural}`);
        return sendApiReply(reply, await createReview(ctx, req));
      }
      if (req.subresource === "token" && rt.group === "" && rt.plural === "serviceaccounts" && req.name !== undefined) {
        if (request.method !== "POST") throw statusErrors.methodNotAllowed(`${request.method} is not supported on serviceaccounts/token`);
        return sendApiReply(reply, await createServiceAccountToken(ctx, req));
      }
      const table = wantsTable(request.headers.accept);
      switch (request.method) {
        case "GET": {
          if (req.name === undefined && isWatch(url.searchParams)) {
            const client = watchClientOf(request.headers.authorization);
            const stream = prepareWatch(ctx, req, { client, ...(table ? { table: { includeObject: includeObjectOf(url.searchParams) } } : {}) });
            reply.hijack();
            await stream(reply.raw);
            return undefined;
          }
          if (req.name !== undefined) {
            const answer = await getObject(ctx, req);
            return sendApiReply(reply, table ? asTable(rt, [answer.body as KubeObject], url.searchParams) : answer);
          }
          if (table) {
            const listed = await selectObjects(ctx, req);
            const listMeta = { resourceVersion: String(listed.resourceVersion), ...(listed.continueToken ? { continue: listed.continueToken } : {}) };
            const objects = listed.items.map((item) => JSON.parse(item.text) as KubeObject);
            return sendApiReply(reply, asTable(rt, objects, url.searchParams, listMeta));
          }
          return sendApiReply(reply, await listObjects(ctx, req));
        }
        case "POST":
          return sendApiReply(reply, await createObject(ctx, req));
        case "PUT":
          return sendApiReply(reply, await updateObject(ctx, req));
        case "PATCH":
          return sendApiReply(reply, await patchObject(ctx, req));
        case "DELETE":
          if (req.name === undefined) return sendApiReply(reply, await deleteCollection(ctx, req));
          return sendApiReply(reply, await deleteObject(ctx, req));
        default:
          throw statusErrors.methodNotAllowed(`${request.method} is not supported`);
      }
    } catch (err) {
      if (reply.sent || reply.raw.headersSent) {
        request.log.error({ err }, "request failed after the response started");
        return undefined;
      }
      return sendError(reply, err);
    }
  };
}

// oxlint-disable-next-line no-control-regex -- control characters are what gets refused
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A name or namespace in the URL no object can have (control characters, NUL above all) is refused, naming the field. */
function checkPathNames(req: ResourceRequest): void {
  const check = (field: string, value: string | undefined) => {
    if (value === undefined || !CONTROL_CHARACTERS.test(value)) return;
    const detail = "must not contain control characters";
    throw statusErrors.invalid(
      req.rt,
      req.name ?? "",
      [`${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`],
      [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field }],
    );
  };
  check("metadata.namespace", req.namespace);
  check("metadata.name", req.name);
}

function isWatch(query: URLSearchParams): boolean {
  const watch = query.get("watch");
  return watch === "true" || watch === "1";
}

function asTable(rt: ResourceType, objects: KubeObject[], query: URLSearchParams, listMeta?: Record<string, unknown>): ApiReply {
  const body = toTable(rt, objects, { includeObject: includeObjectOf(query), ...(listMeta ? { listMeta } : {}) });
  return { code: 200, body, contentType: TABLE_CONTENT_TYPE };
}
