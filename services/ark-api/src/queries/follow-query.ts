import { followQueryEvents as followOnBus } from "@ark/bus";
import type { BusEventEnvelope } from "@ark/types";
import { isFinishedQueryPhase } from "@ark/types";
import type { ApiContext } from "../context.js";

export interface QueryIdentity {
  namespace: string;
  name: string;
  uid: string;
}

export interface FollowOptions {
  /** Only events after this seq (an SSE Last-Event-ID). */
  afterSeq?: number;
  signal: AbortSignal;
}

/** The query's execution events (the bus's followQueryEvents), ending also when the Query's phase is final or it is gone. */
export function followQueryEvents(ctx: ApiContext, query: QueryIdentity, options: FollowOptions): AsyncGenerator<BusEventEnvelope> {
  const ref = { namespace: query.namespace, name: query.name, queryUid: query.uid };
  return followOnBus(ctx.bus, ref, { ...options, hasEnded: () => queryHasEnded(ctx, query) });
}

async function queryHasEnded(ctx: ApiContext, query: QueryIdentity): Promise<boolean> {
  const current = await ctx.ark.queries.get(query.namespace, query.name);
  if (!current || current.metadata.uid !== query.uid) return true;
  return isFinishedQueryPhase(current.status?.phase);
}
