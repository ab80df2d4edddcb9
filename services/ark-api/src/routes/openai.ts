import { principalOf, requireNamespace, type ServiceApp } from "@ark/service-kit";
import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { ApiContext } from "../context.js";
import { toIso } from "../dto/kind-dto.js";
import { clientGone } from "../http/client-gone.js";
import { kubeCall } from "../http/kube-errors.js";
import { checkNamespaceName } from "../http/names.js";
import type { KindResources } from "../kinds/kind-resources.js";
import { openEventStream } from "../queries/sse.js";
import { createChatQuery, requireTarget } from "../openai/chat-query.js";
import { completeChat, completionMeta, streamChatCompletion } from "../openai/completion.js";
import { ChatCompletionRequest, parseModelTarget } from "../openai/chat-request.js";

const NAMESPACE_HEADER = "x-ark-namespace";
const NamespaceQuery = z.object({ namespace: z.string().min(1).max(63).optional().describe(`Also as the ${NAMESPACE_HEADER} header; default: default.`) });

/** POST /openai/v1/chat/completions and GET /openai/v1/models over ARK's agents, teams, models and tools. */
export function registerOpenAIRoutes(app: ServiceApp, ctx: ApiContext, queries: KindResources): void {
  const tags = ["openai"];
  app.get("/v1/models", { schema: { tags, summary: "Agents, teams, models and tools as OpenAI models", querystring: NamespaceQuery } }, async (request) => {
    const namespace = namespaceOf(request);
    const listers: Array<[string, (ns: string) => Promise<Array<{ metadata: V1ObjectMeta }>>]> = [
      ["agent", (ns) => ctx.ark.agents.list(ns)],
      ["team", (ns) => ctx.ark.teams.list(ns)],
      ["model", (ns) => ctx.ark.models.list(ns)],
      ["tool", (ns) => ctx.ark.tools.list(ns)],
    ];
    const lists = await Promise.all(listers.map(([prefix, list]) => kubeCall(`${prefix} list`, () => list(namespace)).then((items) => ({ prefix, items }))));
    return { object: "list", data: lists.flatMap(({ prefix, items }) => items.map((obj) => openAIModel(`${prefix}/${obj.metadata.name}`, obj.metadata))) };
  });

  // The openai client sends `agent%2Fhelper`; a raw slash arrives as two segments.
  const retrieveModel = async (request: FastifyRequest, id: string) => openAIModel(id, (await requireTarget(ctx, namespaceOf(request), parseModelTarget(id))).metadata);
  const summary = "One agent, team, model or tool as an OpenAI model";
  app.get("/v1/models/:id", { schema: { tags, summary, params: z.object({ id: z.string() }), querystring: NamespaceQuery } }, (request) => retrieveModel(request, request.params.id));
  app.get("/v1/models/:type/:name", { schema: { tags, summary, params: z.object({ type: z.string(), name: z.string() }), querystring: NamespaceQuery } }, (request) =>
    retrieveModel(request, `${request.params.type}/${request.params.name}`),
  );

  app.post(
    "/v1/chat/completions",
    {
      schema: { tags, summary: "Chat completion answered by an ARK query", body: ChatCompletionRequest, querystring: NamespaceQuery },
    },
    async (request, reply) => {
      const namespace = namespaceOf(request);
      const body = request.body;
      const target = parseModelTarget(body.model);
      await requireTarget(ctx, namespace, target);
      const release = body.stream ? ctx.streams.take(principalOf(request)) : undefined;
      let query;
      try {
        query = await createChatQuery(queries, principalOf(request), namespace, target, body);
      } catch (err) {
        release?.();
        throw err;
      }
      const meta = completionMeta(query, body.model);
      const timeout = AbortSignal.timeout(ctx.config.MAX_WAIT_SECONDS * 1000);

      if (!body.stream) {
        const gone = clientGone(reply);
        gone.addEventListener("abort", () => void cancelQuietly(ctx, query.namespace, query.name), { once: true });
        try {
          return await completeChat(ctx, query, target, meta, AbortSignal.any([gone, timeout]));
        } catch (err) {
          if (!gone.aborted) throw err;
          // Nobody is left to answer.
          reply.hijack();
          reply.raw.destroy();
          return;
        }
      }

      const stream = openEventStream(reply, release!);
      const signal = AbortSignal.any([stream.closed, timeout]);
      const finished = await streamChatCompletion(ctx, query, target, meta, { includeUsage: body.stream_options?.include_usage === true, signal, write: stream.write });
      if (!finished && stream.closed.aborted) await cancelQuietly(ctx, query.namespace, query.name);
      stream.end();
    },
  );

  function namespaceOf(request: FastifyRequest): string {
    const header = request.headers[NAMESPACE_HEADER];
    const namespace = checkNamespaceName((typeof header === "string" && header) || (request.query as { namespace?: string }).namespace || "default");
    requireNamespace(request, namespace);
    return namespace;
  }
}

function openAIModel(id: string, metadata: V1ObjectMeta) {
  const created = toIso(metadata.creationTimestamp);
  return { id, object: "model", created: created ? Math.floor(Date.parse(created) / 1000) : 0, owned_by: "ark" };
}

// The caller went away mid-stream: nobody will read the answer.
async function cancelQuietly(ctx: ApiContext, namespace: string, name: string): Promise<void> {
  await ctx.ark.queries.patch(namespace, name, { spec: { cancel: true } }).catch(() => undefined);
}
