import type { ServiceApp } from "@ark/service-kit";
import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireNamespace } from "../auth/principal.js";
import type { ApiContext } from "../context.js";
import { toIso } from "../dto/kind-dto.js";
import { clientGone } from "../http/client-gone.js";
import { kubeCall } from "../http/kube-errors.js";
import { checkNamespaceName } from "../http/names.js";
import type { KindResources } from "../kinds/kind-resources.js";
import { openEventStream, sseMessage } from "../queries/sse.js";
import { createChatQuery, requireTarget, streamChatQuery, type ChatOutcome } from "../openai/chat-query.js";
import { ChatCompletionRequest, parseModelTarget } from "../openai/chat-request.js";
import { openAIError } from "../openai/errors.js";

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
    const data = lists.flatMap(({ prefix, items }) =>
      items.map((obj) => ({ id: `${prefix}/${obj.metadata.name}`, object: "model", created: epochSeconds(obj.metadata.creationTimestamp), owned_by: "ark" })),
    );
    return { object: "list", data };
  });

  app.post("/v1/chat/completions", {
    schema: { tags, summary: "Chat completion answered by an ARK query", body: ChatCompletionRequest, querystring: NamespaceQuery },
  }, async (request, reply) => {
    const namespace = namespaceOf(request);
    const body = request.body;
    const target = parseModelTarget(body.model);
    await requireTarget(ctx, namespace, target);
    const query = await createChatQuery(queries, namespace, target, body);
    const created = Math.floor(Date.now() / 1000);
    const completion = { id: `chatcmpl-${query.name}`, created, model: body.model };

    if (!body.stream) {
      const gone = clientGone(reply);
      gone.addEventListener("abort", () => void cancelQuietly(ctx, query.namespace, query.name), { once: true });
      const deadline = AbortSignal.any([gone, AbortSignal.timeout(ctx.config.MAX_WAIT_SECONDS * 1000)]);
      let outcome: ChatOutcome | undefined;
      try {
        for await (const item of streamChatQuery(ctx, query, target, deadline)) if (item.type === "done") outcome = item.outcome;
      } catch (err) {
        // Nobody is left to answer.
        if (gone.aborted) {
          reply.hijack();
          reply.raw.destroy();
          return;
        }
        throw err;
      }
      return {
        ...completion,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: outcome?.content ?? "", refusal: null }, logprobs: null, finish_reason: "stop" }],
        usage: usageOf(outcome),
      };
    }

    const stream = openEventStream(reply);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) =>
      sseMessage({ data: { ...completion, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra } });
    const signal = AbortSignal.any([stream.closed, AbortSignal.timeout(ctx.config.MAX_WAIT_SECONDS * 1000)]);
    let streamedContent = false;
    let finished = false;
    try {
      stream.write(chunk({ role: "assistant", content: "" }, null));
      for await (const item of streamChatQuery(ctx, query, target, signal)) {
        if (item.type === "delta") {
          streamedContent = true;
          stream.write(chunk({ content: item.chunk }, null));
        } else {
          if (!streamedContent && item.outcome.content) stream.write(chunk({ content: item.outcome.content }, null));
          stream.write(chunk({}, "stop"));
          if (body.stream_options?.include_usage) stream.write(sseMessage({ data: { ...completion, object: "chat.completion.chunk", choices: [], usage: usageOf(item.outcome) } }));
          finished = true;
        }
      }
    } catch (err) {
      const status = (err as { httpStatus?: number }).httpStatus ?? 500;
      stream.write(sseMessage({ data: openAIError(status, status >= 500 && status !== 502 && status !== 504 ? "internal error" : (err as Error).message) }));
    } finally {
      if (!finished && stream.closed.aborted) await cancelQuietly(ctx, query.namespace, query.name);
      stream.write("data: [DONE]\n\n");
      stream.end();
    }
  });

  function namespaceOf(request: FastifyRequest): string {
    const header = request.headers[NAMESPACE_HEADER];
    const namespace = checkNamespaceName((typeof header === "string" && header) || (request.query as { namespace?: string }).namespace || "default");
    requireNamespace(request, namespace);
    return namespace;
  }
}

function usageOf(outcome: ChatOutcome | undefined) {
  const usage = outcome?.usage;
  return { prompt_tokens: usage?.promptTokens ?? 0, completion_tokens: usage?.completionTokens ?? 0, total_tokens: usage?.totalTokens ?? 0 };
}

function epochSeconds(timestamp: unknown): number {
  const iso = toIso(timestamp);
  return iso ? Math.floor(Date.parse(iso) / 1000) : 0;
}

// The caller went away mid-stream: nobody will read the answer.
async function cancelQuietly(ctx: ApiContext, namespace: string, name: string): Promise<void> {
  await ctx.ark.queries.patch(namespace, name, { spec: { cancel: true } }).catch(() => undefined);
}
