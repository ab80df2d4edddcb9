import { formatDuration, type QueryEvent } from "@ark/types";

/** A Kubernetes Event on the Query: reason from upstream's catalogue (docs/upstream-compat.md §6.10), message the compact JSON it used. */
export interface QueryKubeEvent {
  reason: string;
  message: string;
}

const duration = (ms: number | undefined) => (ms === undefined ? {} : { duration: formatDuration(Math.round(ms)) });

/** The coarse steps only (query and target), so `kubectl describe query` tells the story without every model call. */
export function queryKubeEvent(event: QueryEvent, query: { namespace: string; name: string }): QueryKubeEvent | undefined {
  const json = (reason: string, fields: Record<string, unknown>): QueryKubeEvent => ({ reason, message: JSON.stringify(fields) });
  switch (event.type) {
    case "query.started":
      return json("QueryResolveStart", { name: query.name, namespace: query.namespace, targets: String(event.targets.length) });
    case "target.completed":
      return json("TargetExecutionComplete", { name: event.target.name, type: event.target.type, ...duration(event.durationMs) });
    case "target.failed":
      return json("TargetExecutionError", { name: event.target.name, type: event.target.type, error: event.message, ...duration(event.durationMs) });
    case "query.completed":
      return json("QueryResolveComplete", { name: query.name, namespace: query.namespace, ...duration(event.durationMs), token_usage: usage(event.tokenUsage) });
    case "query.failed":
      return json("QueryResolveError", { name: query.name, namespace: query.namespace, error: event.message, ...duration(event.durationMs) });
    case "query.canceled":
      return json("QueryCanceled", { name: query.name, namespace: query.namespace, ...(event.message ? { reason: event.message } : {}) });
    default:
      return undefined;
  }
}

function usage(u: { promptTokens: number; completionTokens: number; totalTokens: number }) {
  return { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.totalTokens };
}
