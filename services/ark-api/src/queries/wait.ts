import type { AnyArkObject } from "../dto/index.js";
import type { ApiContext } from "../context.js";
import type { WaitedQuery } from "./query-finish-watch.js";

/**
 * Waits up to `timeoutMs` for the query to reach a final phase, answered by the watch event that writes it
 * (ApiContext.finishedQueries). Answers the finished Query, the Query as it is at the deadline, or undefined once it is gone.
 */
export async function waitForQuery(ctx: ApiContext, query: WaitedQuery, timeoutMs: number, signal?: AbortSignal): Promise<AnyArkObject | undefined> {
  const deadline = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  return ctx.finishedQueries.wait(query, deadline);
}

/** `30s`, `2m`, `500ms` or plain seconds. */
export function parseWait(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2] === "ms" ? 1 : match[2] === "m" ? 60_000 : 1_000;
  return Math.round(Number(match[1]) * unit);
}
