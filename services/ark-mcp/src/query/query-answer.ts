import type { Query } from "@ark/kube";
import type { QueryTargetResponse, TerminalQueryEvent } from "@ark/types";

/** What `query` answers (upstream's `query_agent` fields, plus the target and every response). */
export interface QueryAnswer {
  success: boolean;
  phase: "done" | "error" | "canceled";
  response: string;
  query_name: string;
  namespace: string;
  target: string;
  message?: string;
  responses: { target: string; content: string }[];
  token_usage?: { promptTokens?: number | undefined; completionTokens?: number | undefined; totalTokens?: number | undefined };
}

type AnswerBase = Pick<QueryAnswer, "query_name" | "namespace" | "target">;

export function answerFromEvent(base: AnswerBase, event: TerminalQueryEvent): QueryAnswer {
  const phase = event.type === "query.completed" ? "done" : event.type === "query.failed" ? "error" : "canceled";
  const responses = "responses" in event ? (event.responses ?? []) : [];
  const message = "message" in event ? event.message : undefined;
  return answer(base, phase, responses, message, event.tokenUsage);
}

export function answerFromStatus(base: AnswerBase, query: Query): QueryAnswer {
  const status = query.status;
  const phase = status?.phase === "done" ? "done" : status?.phase === "canceled" ? "canceled" : "error";
  return answer(base, phase, status?.responses ?? [], status?.message, status?.tokenUsage);
}

function answer(base: AnswerBase, phase: QueryAnswer["phase"], responses: readonly QueryTargetResponse[], message: string | undefined, tokenUsage: QueryAnswer["token_usage"] | undefined): QueryAnswer {
  return {
    success: phase === "done",
    phase,
    response: responses[0]?.content ?? "",
    ...base,
    ...(message ? { message } : {}),
    responses: responses.map((r) => ({ target: `${r.target.type}/${r.target.name}`, content: r.content })),
    ...(tokenUsage ? { token_usage: tokenUsage } : {}),
  };
}
