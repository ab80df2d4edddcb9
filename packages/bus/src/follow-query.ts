import type { BusEventEnvelope, BusQueryRef } from "@ark/types";
import { backoffDelay, isTerminalBusEvent } from "@ark/types";
import type { QueryBus } from "./types.js";

const PHASE_POLL_MS = 1_000;
const MAX_PHASE_POLL_MS = 5_000;

export interface FollowQueryOptions {
  /** Only events after this seq (an SSE Last-Event-ID). */
  afterSeq?: number;
  signal: AbortSignal;
  /** Whether the query has ended (final phase, deleted, or replaced by another with its name): read from the API. */
  hasEnded(): Promise<boolean>;
}

/**
 * A query's execution events from the bus, replayed from the start (or after `afterSeq`), then live.
 * Ends after the terminal event, or — for a query that ends without one (rejected before it ran,
 * deleted) — once `hasEnded` says so and the events so far are drained.
 */
export async function* followQueryEvents<E = unknown>(bus: QueryBus<E>, ref: BusQueryRef, options: FollowQueryOptions): AsyncGenerator<BusEventEnvelope<E>> {
  const follow = new AbortController();
  const stopFollowing = () => follow.abort();
  options.signal.addEventListener("abort", stopFollowing, { once: true });
  // The terminal event ends the stream; this check is for queries that end without one, so it backs off.
  let poller: NodeJS.Timeout | undefined;
  const checkEnded = (checks: number) => {
    void options.hasEnded().then(
      (ended) => (ended ? stopFollowing() : schedule(checks + 1)),
      // A failing check waits the longest.
      () => schedule(Infinity),
    );
  };
  const schedule = (checks: number) => {
    if (!follow.signal.aborted) poller = setTimeout(() => checkEnded(checks), backoffDelay(checks, { baseMs: PHASE_POLL_MS, maxMs: MAX_PHASE_POLL_MS }));
  };
  checkEnded(0);
  let lastSeq = options.afterSeq;
  try {
    for await (const envelope of bus.readEvents(ref, { follow: true, signal: follow.signal, ...(lastSeq ? { afterSeq: lastSeq } : {}) })) {
      lastSeq = envelope.seq;
      yield envelope;
      if (isTerminalBusEvent(envelope.event)) return;
    }
  } finally {
    clearTimeout(poller);
    follow.abort();
    options.signal.removeEventListener("abort", stopFollowing);
  }
  if (options.signal.aborted) return;
  for await (const envelope of bus.readEvents(ref, { follow: false, ...(lastSeq ? { afterSeq: lastSeq } : {}) })) {
    yield envelope;
    if (isTerminalBusEvent(envelope.event)) return;
  }
}
