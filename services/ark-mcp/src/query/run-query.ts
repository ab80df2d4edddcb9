import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { apiErrorMessage } from "@ark/kube";
import { isTerminalQueryEvent, type BusQueryRef, type QueryEvent, type QueryTarget } from "@ark/types";
import type { ArkMcpDeps } from "../mcp/deps.js";
import { McpToolError } from "../mcp/tool-error.js";
import { answerFromEvent, answerFromStatus, type QueryAnswer } from "./query-answer.js";
import { assertTargetExists } from "./query-target.js";
import { watchUntilFinished } from "./watch-query.js";

export interface RunQueryRequest {
  namespace: string;
  target: QueryTarget;
  input: string;
  sessionId?: string | undefined;
  /** Also the Query's spec.timeout when given. */
  timeoutSeconds?: number | undefined;
}

export interface RunQueryOptions {
  /** The MCP request's signal: the client canceled, so the Query is canceled too. */
  signal: AbortSignal;
  onEvent(event: QueryEvent): void;
}

/**
 * Creates a Query and answers when it ends: from its terminal event on the bus (following every event
 * for progress), or from its status when the controller ended it without a run (watched, not polled).
 */
export async function runQuery(deps: ArkMcpDeps, request: RunQueryRequest, options: RunQueryOptions): Promise<QueryAnswer> {
  const { namespace, target, input } = request;
  if (!input.trim()) throw new McpToolError("input cannot be empty");
  await assertTargetExists(deps.ark, namespace, target);
  const name = queryName(target.name);
  let uid: string;
  try {
    const created = await deps.ark.queries.create({
      metadata: { name, namespace, labels: { "app.kubernetes.io/created-by": "ark-mcp" } },
      spec: {
        input,
        target,
        ...(request.sessionId ? { sessionId: request.sessionId } : {}),
        ...(request.timeoutSeconds ? { timeout: `${request.timeoutSeconds}s` } : {}),
      },
    });
    uid = created.metadata.uid ?? "";
  } catch (err) {
    throw new McpToolError(`could not create a query for ${target.type} "${target.name}" in namespace ${namespace}: ${apiErrorMessage(err)}`, { cause: err });
  }
  const ref: BusQueryRef = { namespace, name, queryUid: uid };
  const base = { query_name: name, namespace, target: `${target.type}/${target.name}` };
  const timeoutMs = request.timeoutSeconds ? request.timeoutSeconds * 1000 : deps.queryTimeoutMs;

  const stop = new AbortController();
  try {
    const outcome = await new Promise<QueryAnswer | "canceled" | "timeout">((resolve, reject) => {
      const onAbort = (): void => resolve("canceled");
      if (options.signal.aborted) return resolve("canceled");
      options.signal.addEventListener("abort", onAbort, { once: true });
      stop.signal.addEventListener("abort", () => options.signal.removeEventListener("abort", onAbort), { once: true });
      delay(timeoutMs, "timeout" as const, { signal: stop.signal }).then(resolve, () => undefined);
      void (async () => {
        for await (const envelope of deps.bus.readEvents(ref, { follow: true, signal: stop.signal })) {
          options.onEvent(envelope.event);
          if (isTerminalQueryEvent(envelope.event)) return resolve(answerFromEvent(base, envelope.event));
        }
      })().catch(reject);
      // An API error only loses the status path: the bus still answers, and the timeout bounds the wait.
      watchUntilFinished(deps.kc, deps.ark, namespace, name, stop.signal).then(
        (query) => {
          if (query) resolve(answerFromStatus(base, query));
          else if (!stop.signal.aborted) reject(new McpToolError(`query ${namespace}/${name} was deleted before it finished`));
        },
        () => undefined,
      );
    });
    if (outcome === "canceled") {
      await deps.ark.queries.patch(namespace, name, { spec: { cancel: true } }).catch(() => undefined);
      throw new McpToolError(`query ${namespace}/${name} canceled by the client`);
    }
    if (outcome === "timeout") {
      throw new McpToolError(`query ${namespace}/${name} did not finish within ${timeoutMs / 1000} seconds; it keeps running: read it later with get_query`);
    }
    return outcome;
  } finally {
    stop.abort();
  }
}

/** Upstream's `query-<agent>-<8 chars>`, the target name shortened so the whole stays a short DNS label. */
function queryName(target: string): string {
  const stem = target
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 40)
    .replace(/-+$/, "");
  return `query-${stem}-${randomUUID().slice(0, 8)}`;
}
