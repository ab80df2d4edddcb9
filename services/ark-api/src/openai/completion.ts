import { isArkError } from "@ark/service-kit";
import type { QueryTarget } from "@ark/types";
import type { ApiContext } from "../context.js";
import type { QueryIdentity } from "../queries/follow-query.js";
import { sseMessage } from "../queries/sse.js";
import { streamChatQuery, type ChatOutcome } from "./chat-query.js";
import { openAIError } from "./errors.js";

/** What every completion object and chunk of one request shares. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export function completionMeta(query: QueryIdentity, model: string): CompletionMeta {
  return { id: `chatcmpl-${query.name}`, created: Math.floor(Date.now() / 1000), model };
}

/** The non-streamed answer once the query is done. */
export async function completeChat(ctx: ApiContext, query: QueryIdentity, target: QueryTarget, meta: CompletionMeta, signal: AbortSignal) {
  let outcome: ChatOutcome | undefined;
  for await (const item of streamChatQuery(ctx, query, target, signal)) if (item.type === "done") outcome = item.outcome;
  return {
    ...meta,
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: outcome?.content ?? "", refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: usageOf(outcome),
  };
}

/**
 * Writes the answer as OpenAI chunks: the provider's content as it streams (or the whole answer at the end
 * when the target streamed none), a stop chunk, usage when asked, then `[DONE]`; a failure as an error chunk.
 * Answers whether the query finished.
 */
export async function streamChatCompletion(
  ctx: ApiContext,
  query: QueryIdentity,
  target: QueryTarget,
  meta: CompletionMeta,
  options: { includeUsage: boolean; signal: AbortSignal; write: (chunk: string) => void },
): Promise<boolean> {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    sseMessage({ data: { ...meta, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] } });
  let streamedContent = false;
  let finished = false;
  try {
    options.write(chunk({ role: "assistant", content: "" }, null));
    for await (const item of streamChatQuery(ctx, query, target, options.signal)) {
      if (item.type === "delta") {
        streamedContent = true;
        options.write(chunk({ content: item.chunk }, null));
        continue;
      }
      if (!streamedContent && item.outcome.content) options.write(chunk({ content: item.outcome.content }, null));
      options.write(chunk({}, "stop"));
      if (options.includeUsage) options.write(sseMessage({ data: { ...meta, object: "chat.completion.chunk", choices: [], usage: usageOf(item.outcome) } }));
      finished = true;
    }
  } catch (err) {
    const status = isArkError(err) ? err.httpStatus : 500;
    const message = isArkError(err) && err.code !== "INTERNAL" ? err.message : "internal error";
    options.write(sseMessage({ data: openAIError(status, message) }));
  }
  options.write("data: [DONE]\n\n");
  return finished;
}

function usageOf(outcome: ChatOutcome | undefined) {
  const usage = outcome?.usage;
  return { prompt_tokens: usage?.promptTokens ?? 0, completion_tokens: usage?.completionTokens ?? 0, total_tokens: usage?.totalTokens ?? 0 };
}
