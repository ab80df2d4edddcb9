import { metadataTimeMs } from "@ark/kube";
import type { BusEventEnvelope, BusQueryRef } from "@ark/types";
import { backoffDelay, isFinishedQueryPhase, isTerminalBusEvent } from "@ark/types";
import { setTimeout as sleep } from "node:timers/promises";
import type { ApiContext } from "../context.js";
import type { AnyArkObject } from "../dto/index.js";

export interface QueryIdentity {
  namespace: string;
  name: string;
  uid: string;
  /** The Query as the caller read (or created) it: a finished phase ends the stream once the bus's events are read. */
  phase?: string;
  resourceVersion?: string;
  /** Its creation time (epoch ms): one created after the fan-out's watch went live needs no bus read to replay. */
  createdAt?: number;
}

/** A Query's identity as a stream follows it, from the object as read or created. */
export function queryIdentity(query: AnyArkObject): QueryIdentity {
  const { namespace = "", name = "", uid = "", resourceVersion, creationTimestamp } = query.metadata;
  const phase = (query.status as { phase?: string } | undefined)?.phase;
  const createdAt = metadataTimeMs(creationTimestamp);
  return { namespace, name, uid, ...(phase ? { phase } : {}), ...(resourceVersion ? { resourceVersion } : {}), ...(createdAt !== undefined ? { createdAt } : {}) };
}

export interface FollowOptions {
  /** Only events after this seq (an SSE Last-Event-ID). */
  afterSeq?: number;
  signal: AbortSignal;
}

const RETRY_BACKOFF = { baseMs: 1_000, maxMs: 5_000 };

/** `done`'s reason: abort() without one builds a DOMException, stack and all, for every stream. */
const STREAM_ENDED = new Error("the event stream ended");

/**
 * The query's execution events, replayed from the start (or after `afterSeq`), then live; ends after the terminal
 * event, or — for a query that ends without one (rejected before it ran, deleted) — once its Query is final or gone
 * and what the bus holds is read. Live events come from ark-api's one bus watch (ApiContext.queryEvents) and the end
 * from its one Query watch (ApiContext.finishedQueries): a stream opens no bus consumer and polls nothing. What came
 * before it subscribed is replayed from the fan-out's recent events when they are complete, else read from the bus.
 */
export async function* followQueryEvents(ctx: ApiContext, query: QueryIdentity, options: FollowOptions): AsyncGenerator<BusEventEnvelope> {
  const ref = { namespace: query.namespace, name: query.name, queryUid: query.uid };
  const live: BusEventEnvelope[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const done = new AbortController();
  const stop = AbortSignal.any([options.signal, done.signal]);
  stop.addEventListener("abort", notify, { once: true });
  let ended = isFinishedQueryPhase(query.phase);
  // Subscribed before the replay reads the bus: an event published meanwhile is in one or the other (or both: by seq).
  const unsubscribe = await ctx.queryEvents.subscribe(query.uid, (envelope) => {
    live.push(envelope);
    notify();
  });
  if (!ended)
    void untilEnded(ctx, query, stop).then(() => {
      ended = true;
      notify();
    });
  let lastSeq = options.afterSeq ?? 0;
  try {
    for await (const envelope of replay(ctx, ref, query.createdAt, lastSeq, options.signal)) {
      if (envelope.seq <= lastSeq) continue;
      lastSeq = envelope.seq;
      yield envelope;
      if (isTerminalBusEvent(envelope.event)) return;
    }
    while (!options.signal.aborted) {
      const envelope = live.shift();
      if (envelope) {
        if (envelope.seq <= lastSeq) continue;
        lastSeq = envelope.seq;
        yield envelope;
        if (isTerminalBusEvent(envelope.event)) return;
      } else if (ended) {
        break;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
    if (options.signal.aborted) return;
    // Final or gone without a terminal event seen live: the bus may hold one yet (it is published before the final status).
    for await (const envelope of ctx.bus.readEvents(ref, { follow: false, ...(lastSeq ? { afterSeq: lastSeq } : {}) })) {
      yield envelope;
      if (isTerminalBusEvent(envelope.event)) return;
    }
  } finally {
    unsubscribe();
    done.abort(STREAM_ENDED);
  }
}

/**
 * What the bus held when the stream subscribed: the fan-out's events when it saw them all (the query was created after
 * its watch went live: nothing to ask the bus), or when they begin at the first the bus holds for it (one lookup, no
 * bus consumer); nothing when the bus holds none yet (all come live); else the bus.
 */
async function* replay(ctx: ApiContext, ref: BusQueryRef, createdAt: number | undefined, afterSeq: number, signal: AbortSignal): AsyncGenerator<BusEventEnvelope> {
  const seen = ctx.queryEvents.allEvents(ref.queryUid, createdAt);
  if (seen) {
    yield* seen;
    return;
  }
  const firstSeq = await ctx.bus.firstEventSeq(ref);
  if (firstSeq === undefined) return;
  const recent = ctx.queryEvents.recentEvents(ref.queryUid, firstSeq);
  if (recent) {
    yield* recent;
    return;
  }
  yield* ctx.bus.readEvents(ref, { follow: false, signal, ...(afterSeq ? { afterSeq } : {}) });
}

/** Resolves once the Query is final or gone (from the shared Query watch), or `signal` aborts; retries a watch that fails to open. */
async function untilEnded(ctx: ApiContext, query: QueryIdentity, signal: AbortSignal): Promise<void> {
  for (let failures = 0; !signal.aborted; failures++) {
    try {
      await ctx.finishedQueries.wait(query, signal, { readOnAbort: false });
      return;
    } catch {
      await sleep(backoffDelay(failures + 1, RETRY_BACKOFF), undefined, { signal }).catch(() => undefined);
    }
  }
}
