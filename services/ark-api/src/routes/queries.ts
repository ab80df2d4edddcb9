import { ArkError, principalOf, type ServiceApp } from "@ark/service-kit";
import { isFinishedQueryPhase, QueryPhase } from "@ark/types";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { ApiContext } from "../context.js";
import { queryDto } from "../dto/index.js";
import { clientGone } from "../http/client-gone.js";
import { kubeCall } from "../http/kube-errors.js";
import { listQuery, nameParams } from "../http/schemas.js";
import { unprocessable } from "../http/validation.js";
import type { KindResources } from "../kinds/kind-resources.js";
import type { CreateAnswer } from "./kinds.js";
import { writeQueryEvents } from "../queries/event-stream.js";
import { queryIdentity } from "../queries/follow-query.js";
import { openEventStream } from "../queries/sse.js";
import { parseWait, waitForQuery } from "../queries/wait.js";
import { registerKindRoutes } from "./kinds.js";

const CreateQueryOptions = z.object({ wait: z.string().optional().describe("Wait up to this long for the result: 30s, 2m.") });
const EventsQuery = z.object({ lastEventId: z.coerce.number().int().min(0).optional().describe("As the Last-Event-ID header.") });

export function registerQueryRoutes(app: ServiceApp, ctx: ApiContext, queries: KindResources): void {
  const tags = ["queries"];
  registerKindRoutes(app, "queries", queries, {
    listQuery: listQuery.extend({ phase: QueryPhase.optional() }),
    createQuery: CreateQueryOptions,
    prepareCreate: (request) => prepareQueryCreate(ctx, request),
  });

  app.patch("/v1/namespaces/:namespace/queries/:name/cancel", { schema: { tags, summary: "Cancel a query", params: nameParams } }, async (request) => {
    const { namespace, name } = request.params;
    await queries.get(namespace, name);
    const patched = await kubeCall(`Query ${namespace}/${name}`, () => ctx.ark.queries.patch(namespace, name, { spec: { cancel: true } }));
    return queryDto.detail(patched as never);
  });

  app.get(
    "/v1/namespaces/:namespace/queries/:name/events",
    {
      schema: { tags, summary: "The query's execution events as Server-Sent Events, from the start, then live", params: nameParams, querystring: EventsQuery },
    },
    async (request, reply) => {
      const { namespace, name } = request.params;
      // Any version of the Query will do (the API server's cache answers): the events come from the bus, and an older
      // phase only means the stream learns of the end from the Query watch.
      const query = await queries.get(namespace, name, { anyVersion: true });
      const afterSeq = lastEventId(request) ?? request.query.lastEventId;
      const release = ctx.streams.take(principalOf(request));
      await writeQueryEvents(ctx, queryIdentity(query), openEventStream(reply, release), afterSeq, request.log);
    },
  );
}

/**
 * A query create is answered at once, after its result (`?wait=`), or with its event stream when the client accepts
 * `text/event-stream`: the same stream as `GET …/events`, in the same request (docs/architecture.md §3). Bad options
 * and a principal without a free stream slot are refused before the query is created.
 */
function prepareQueryCreate(ctx: ApiContext, request: FastifyRequest): CreateAnswer {
  const wait = (request.query as { wait?: string }).wait;
  const streamed = acceptsEventStream(request);
  if (wait !== undefined && streamed) {
    throw unprocessable([{ field: "querystring.wait", type: "Invalid value", value: wait, detail: "not with Accept: text/event-stream, whose stream already follows the query to its end" }], "query");
  }
  if (streamed) {
    const release = ctx.streams.take(principalOf(request));
    return {
      respond: async (created, reply) => {
        const query = queryIdentity(created);
        // Where to resume (GET …/events with Last-Event-ID) should the stream break.
        reply.header("content-location", `/v1/namespaces/${query.namespace}/queries/${query.name}`);
        await writeQueryEvents(ctx, query, openEventStream(reply, release), undefined, request.log);
      },
      abandon: release,
    };
  }
  if (wait === undefined) return { respond: async (created, reply) => reply.code(200).send(queryDto.detail(created)) };
  const waitMs = parseWait(wait);
  if (waitMs === undefined) throw unprocessable([{ field: "querystring.wait", type: "Invalid value", value: wait, detail: "expected a duration such as 30s or 2m" }], "query");
  const timeoutMs = Math.min(waitMs, ctx.config.MAX_WAIT_SECONDS * 1000);
  return {
    respond: async (created, reply) => {
      const query = queryIdentity(created);
      const finished = await waitForQuery(ctx, query, timeoutMs, clientGone(reply));
      if (!finished) throw new ArkError("NOT_FOUND", `Query '${query.name}' was deleted while waiting`);
      const detail = queryDto.detail(finished);
      const phase = (finished.status as { phase?: string } | undefined)?.phase ?? "";
      return reply.code(isFinishedQueryPhase(phase) ? 200 : 202).send(detail);
    },
  };
}

function acceptsEventStream(request: FastifyRequest): boolean {
  return request.headers.accept?.includes("text/event-stream") ?? false;
}

function lastEventId(request: FastifyRequest): number | undefined {
  const header = request.headers["last-event-id"];
  if (typeof header !== "string" || header === "") return undefined;
  if (!/^\d+$/.test(header)) throw unprocessable([{ field: "headers.last-event-id", type: "Invalid value", value: header, detail: "must be an event id from this stream" }], "event stream");
  return Number(header);
}
