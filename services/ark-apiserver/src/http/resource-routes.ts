import type { IncomingHttpHeaders } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { UserInfo } from "../auth/user.js";
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
import { prepareWatch, type WatchResponse } from "../api/handlers/watch.js";
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

/** One resource request as either transport hands it over (HTTP, or a caller in this process). */
export interface ResourceCall {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body?: Buffer;
  /** Who makes it: authenticated, impersonation applied, authorized. */
  user?: UserInfo;
}

/** A JSON answer, or a watch that streams into the response it is given. */
export type ResourceOutcome = { reply: ApiReply } | { watch: (response: WatchResponse) => Promise<void> };

/** Routes `/api/v1/...` and `/apis/<g>/<v>/...` resource requests to the handlers; throws a StatusError for a request it refuses. */
export function resourceHandler(ctx: ApiContext, resources: readonly ResourceType[]) {
  const byPath = new Map(resources.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]));

  return async function handleResource({ method, url, headers, body, user }: ResourceCall): Promise<ResourceOutcome> {
    const path = parseResourcePath(url.pathname);
    const rt = path ? byPath.get(`${path.group}/${path.version}/${path.resource}`) : undefined;
    if (!path || !rt || (!rt.namespaced && path.namespace !== undefined)) throw statusErrors.pathNotFound();
    const req: ResourceRequest = {
      rt,
      query: url.searchParams,
      headers,
      ...(path.namespace !== undefined ? { namespace: path.namespace } : {}),
      ...(path.name !== undefined ? { name: path.name } : {}),
      ...(path.subresource !== undefined ? { subresource: path.subresource } : {}),
      ...(body !== undefined ? { body } : {}),
    };
    if (user) req.user = user;
    checkPathNames(req);
    if (rt.createOnly) {
      if (method !== "POST") throw statusErrors.methodNotAllowed(`${method} is not supported on ${rt.plural}`);
      return { reply: await createReview(ctx, req) };
    }
    if (req.subresource === "token" && rt.group === "" && rt.plural === "serviceaccounts" && req.name !== undefined) {
      if (method !== "POST") throw statusErrors.methodNotAllowed(`${method} is not supported on serviceaccounts/token`);
      return { reply: await createServiceAccountToken(ctx, req) };
    }
    const table = wantsTable(headers.accept);
    switch (method) {
      case "GET": {
        if (req.name === undefined && isWatch(url.searchParams)) {
          const client = watchClientOf(headers.authorization);
          return { watch: prepareWatch(ctx, req, { client, ...(table ? { table: { includeObject: includeObjectOf(url.searchParams) } } : {}) }) };
        }
        if (req.name !== undefined) {
          const answer = await getObject(ctx, req);
          return { reply: table ? asTable(rt, [answer.body as KubeObject], url.searchParams) : answer };
        }
        if (table) {
          const listed = await selectObjects(ctx, req);
          const listMeta = { resourceVersion: String(listed.resourceVersion), ...(listed.continueToken ? { continue: listed.continueToken } : {}) };
          const objects = listed.items.map((item) => JSON.parse(item.text) as KubeObject);
          return { reply: asTable(rt, objects, url.searchParams, listMeta) };
        }
        return { reply: await listObjects(ctx, req) };
      }
      case "POST":
        return { reply: await createObject(ctx, req) };
      case "PUT":
        return { reply: await updateObject(ctx, req) };
      case "PATCH":
        return { reply: await patchObject(ctx, req) };
      case "DELETE":
        return { reply: req.name === undefined ? await deleteCollection(ctx, req) : await deleteObject(ctx, req) };
      default:
        throw statusErrors.methodNotAllowed(`${method} is not supported`);
    }
  };
}

/** The resource routes on fastify: the request hook has authenticated and authorized the caller. */
export function resourceRouter(ctx: ApiContext, resources: readonly ResourceType[]) {
  const handle = resourceHandler(ctx, resources);
  return async function routeResource(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    try {
      const user = requestUser(request.raw);
      const outcome = await handle({
        method: request.method,
        url: new URL(request.url, "http://localhost"),
        headers: request.headers,
        ...(Buffer.isBuffer(request.body) ? { body: request.body } : {}),
        ...(user ? { user } : {}),
      });
      if ("reply" in outcome) return sendApiReply(reply, outcome.reply);
      reply.hijack();
      await outcome.watch(reply.raw);
      return undefined;
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
