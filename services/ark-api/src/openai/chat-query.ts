import { randomBytes } from "node:crypto";
import { ArkError, type Principal } from "@ark/service-kit";
import { checkQueryInput, STREAMING_ANNOTATION, type EventTokenUsage, type QueryEvent, type QueryTarget, type QueryTargetResponse } from "@ark/types";
import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { ApiContext } from "../context.js";
import { kubeCall } from "../http/kube-errors.js";
import type { KindResources } from "../kinds/kind-resources.js";
import { followQueryEvents, queryIdentity, type QueryIdentity } from "../queries/follow-query.js";
import { renderMessages, type ChatCompletionRequest } from "./chat-request.js";

const OPENAI_LABEL = "ark.mckinsey.com/openai";

/** Unknown targets answer 404 model_not_found at once, as OpenAI does for an unknown model, instead of a query that fails. */
export async function requireTarget(ctx: ApiContext, namespace: string, target: QueryTarget): Promise<{ metadata: V1ObjectMeta }> {
  const getters: Record<QueryTarget["type"], (ns: string, name: string) => Promise<{ metadata: V1ObjectMeta } | undefined>> = {
    agent: (ns, name) => ctx.ark.agents.get(ns, name),
    team: (ns, name) => ctx.ark.teams.get(ns, name),
    model: (ns, name) => ctx.ark.models.get(ns, name),
    tool: (ns, name) => ctx.ark.tools.get(ns, name),
  };
  const found = await kubeCall(`${target.type} ${namespace}/${target.name}`, () => getters[target.type](namespace, target.name));
  if (!found) throw new ArkError("NOT_FOUND", `The model '${target.type}/${target.name}' does not exist in namespace ${namespace}`);
  return found;
}

/**
 * The Query that answers one chat completion request: `type: messages` with the request's messages, as upstream
 * (docs/upstream-compat.md §6.2); a conversation a message query cannot hold (ending other than with a user message,
 * non-text parts) goes as the text of its messages.
 */
export async function createChatQuery(queries: KindResources, principal: Principal, namespace: string, target: QueryTarget, request: ChatCompletionRequest): Promise<QueryIdentity> {
  const name = `openai-query-${randomBytes(4).toString("hex")}`;
  const annotations = request.stream ? { [STREAMING_ANNOTATION]: "true" } : undefined;
  const input = checkQueryInput("messages", request.messages).length === 0 ? { type: "messages", input: request.messages } : { input: renderMessages(request.messages) };
  const created = await queries.create(namespace, { name, labels: { [OPENAI_LABEL]: "true" }, annotations, ...input, target }, principal);
  return queryIdentity(created);
}

export interface ChatOutcome {
  content: string;
  usage: EventTokenUsage | undefined;
}

export type ChatStreamItem = { type: "delta"; chunk: string } | { type: "done"; outcome: ChatOutcome };

/** Content deltas as the provider streams them, then the outcome; throws when the query fails, is canceled or times out. */
export async function* streamChatQuery(ctx: ApiContext, query: QueryIdentity, target: QueryTarget, signal: AbortSignal): AsyncGenerator<ChatStreamItem> {
  for await (const envelope of followQueryEvents(ctx, query, { signal })) {
    const event = envelope.event as QueryEvent;
    if (event.type === "content.delta" && event.chunk && isOwnTarget(event.target, target)) yield { type: "delta", chunk: event.chunk };
    if (event.type === "query.completed") {
      yield { type: "done", outcome: { content: answerOf(event.responses, target), usage: event.tokenUsage } };
      return;
    }
    if (event.type === "query.failed") throw new ArkError("BAD_GATEWAY", event.message);
    if (event.type === "query.canceled") throw new ArkError("CONFLICT", `query ${query.name} was canceled`);
  }
  if (signal.aborted) throw new ArkError("TIMEOUT", `Query ${query.name} did not finish in time`);
  const final = await ctx.ark.queries.get(query.namespace, query.name);
  const status = final?.status;
  if (status?.phase === "done") {
    yield { type: "done", outcome: { content: answerOf(status.responses ?? [], target), usage: undefined } };
    return;
  }
  throw new ArkError("BAD_GATEWAY", status?.message ?? `Query ${query.name} ended in phase ${status?.phase ?? "deleted"}`);
}

function isOwnTarget(eventTarget: QueryTarget | undefined, target: QueryTarget): boolean {
  return !eventTarget || (eventTarget.type === target.type && eventTarget.name === target.name);
}

function answerOf(responses: QueryTargetResponse[], target: QueryTarget): string {
  return (responses.find((r) => isOwnTarget(r.target, target)) ?? responses[0])?.content ?? "";
}
