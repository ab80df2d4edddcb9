import { principalOf, type ServiceApp } from "@ark/service-kit";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AnyArkObject, KindDto } from "../dto/index.js";
import { isRecord } from "../http/records.js";
import { bodyCheckedByRoute, DetailResponse, ListResponse, listQuery, nameParams, namespaceParams } from "../http/schemas.js";
import { unprocessable } from "../http/validation.js";
import type { KindResources } from "../kinds/kind-resources.js";

export interface KindRouteOptions {
  /** Extra query-string fields of create (queries: wait). */
  createQuery?: z.ZodObject;
  /**
   * Checks a create's options before anything is created (a bad one creates nothing) and says how to answer it
   * (queries: wait for the result, or stream its events).
   */
  prepareCreate?: (request: FastifyRequest) => CreateAnswer;
  listQuery?: z.ZodObject;
}

/** How one create is answered, decided before the object exists. */
export interface CreateAnswer {
  /** `created`: the object as the API server stored it. */
  respond(created: AnyArkObject, reply: FastifyReply): Promise<unknown>;
  /** The create failed: give back what prepareCreate took. */
  abandon?(): void;
}

/** GET/POST /v1/namespaces/{ns}/<segment>, GET/PUT/DELETE …/<segment>/{name}. */
export function registerKindRoutes(app: ServiceApp, segment: string, resources: KindResources, options: KindRouteOptions = {}): void {
  const dto: KindDto = resources.dto;
  const collection = `/v1/namespaces/:namespace/${segment}`;
  const item = `${collection}/:name`;
  const tags = [segment];
  const kind = dto.definition.kind;

  app.get(
    collection,
    {
      schema: { tags, summary: `List ${kind} resources`, params: namespaceParams, querystring: options.listQuery ?? listQuery, response: { 200: ListResponse } },
    },
    async (request) => {
      const query = request.query as z.output<typeof listQuery> & { phase?: string };
      const page = await resources.list(request.params.namespace, query);
      const items = page.items.map((obj) => dto.summary(obj));
      return { items, count: items.length, total: page.total };
    },
  );

  app.post(
    collection,
    {
      schema: { tags, summary: `Create a ${kind}`, params: namespaceParams, body: dto.createSchema, ...(options.createQuery ? { querystring: options.createQuery } : {}) },
      validatorCompiler: bodyCheckedByRoute,
    },
    async (request, reply) => {
      const answer = options.prepareCreate?.(request);
      let created: AnyArkObject;
      try {
        created = await resources.create(request.params.namespace, requireObjectBody(request.body, kind), principalOf(request));
      } catch (err) {
        answer?.abandon?.();
        throw err;
      }
      if (answer) return answer.respond(created, reply);
      return reply.code(200).send(dto.detail(created));
    },
  );

  app.get(item, { schema: { tags, summary: `Get a ${kind}`, params: nameParams, response: { 200: DetailResponse } } }, async (request) => dto.detail(await resources.get(request.params.namespace, request.params.name)));

  app.put(
    item,
    {
      schema: { tags, summary: `Update a ${kind} (fields given replace the current ones)`, params: nameParams, body: dto.updateSchema, response: { 200: DetailResponse } },
      validatorCompiler: bodyCheckedByRoute,
    },
    async (request) => {
      const { namespace, name } = request.params;
      return dto.detail(await resources.update(namespace, name, requireObjectBody(request.body, kind), principalOf(request)));
    },
  );

  app.delete(item, { schema: { tags, summary: `Delete a ${kind}`, params: nameParams } }, async (request, reply) => {
    await resources.delete(request.params.namespace, request.params.name);
    return reply.code(204).send();
  });
}

function requireObjectBody(body: unknown, kind: string): Record<string, unknown> {
  if (isRecord(body)) return body;
  throw unprocessable([{ field: "body", type: "Invalid value", detail: "must be a JSON object" }], `${kind} request`);
}
