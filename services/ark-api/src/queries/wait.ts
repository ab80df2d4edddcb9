import type { AnyArkObject } from "../dto/index.js";
import type { ApiContext } from "../context.js";
import { isFinishedQueryPhase } from "@ark/types";
import { followQueryEvents, type QueryIdentity } from "./follow-query.js";

const STATUS_POLL_MS = 100;

/**
 * Waits up to `timeoutMs` for the query to reach a final phase: follows its events to the terminal one,
 * then reads the Query until the controller has written the final status. Answers the latest Query.
 */
export async function waitForQuery(ctx: ApiContext, query: QueryIdentity, timeoutMs: number, signal?: AbortSignal): Promise<AnyArkObject | undefined> {
  const deadline = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  for await (const _ of followQueryEvents(ctx, query, { signal: deadline })) {
    // Only the end matters here.
  }
  for (;;) {
    const current = await ctx.ark.queries.get(query.namespace, query.name);
    if (!current || isFinishedQueryPhase(current.status?.phase) || deadline.aborted) return current as AnyArkObject | undefined;
    await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
  }
}

/** `30s`, `2m`, `500ms` or plain seconds. */
export function parseWait(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2] === "ms" ? 1 : match[2] === "m" ? 60_000 : 1_000;
  return Math.round(Number(match[1]) * unit);
}
