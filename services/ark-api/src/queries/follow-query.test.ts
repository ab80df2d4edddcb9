import { MemoryQueryBus } from "@ark/bus";
import type { BusEventEnvelope, QueryEvent } from "@ark/types";
import { describe, expect, it, vi } from "vitest";
import type { ApiContext } from "../context.js";
import { followQueryEvents } from "./follow-query.js";
import { QueryEventFanout } from "./query-event-fanout.js";

const target = { type: "agent" as const, name: "weather" };
const started: QueryEvent = { type: "query.started", time: new Date().toISOString(), namespace: "default", name: "q", targets: [target] };
const delta: QueryEvent = { type: "content.delta", time: new Date().toISOString(), target, chunk: "sunny" };
const completed: QueryEvent = { type: "query.completed", time: new Date().toISOString(), responses: [{ target, content: "sunny" }], tokenUsage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 } };

/** ark-api's context as followQueryEvents uses it: a bus, the fan-out over it, and a Query watch that ends when told. */
function context() {
  const bus = new MemoryQueryBus();
  const queryEvents = new QueryEventFanout(bus, { warn: () => undefined });
  const waits: AbortSignal[] = [];
  let finish!: () => void;
  const finished = new Promise<undefined>((resolve) => (finish = () => resolve(undefined)));
  const finishedQueries = {
    wait: (_query: unknown, signal: AbortSignal) => {
      waits.push(signal);
      return Promise.race([finished, new Promise<undefined>((resolve) => signal.addEventListener("abort", () => resolve(undefined), { once: true }))]);
    },
  };
  const ctx = { bus, queryEvents, finishedQueries } as unknown as ApiContext;
  return { ctx, bus, queryEvents, waits, finish };
}

const query = { namespace: "default", name: "q", uid: "uid-1" };
const ref = { namespace: "default", name: "q", queryUid: "uid-1" };
const types = (events: BusEventEnvelope[]) => events.map((e) => (e.event as QueryEvent).type);

describe("followQueryEvents", () => {
  it("gives the events published before it, then the live ones, once each and in order, to the terminal event; then follows nothing", async () => {
    const { ctx, bus, queryEvents, waits } = context();
    await bus.publishEvent(ref, started);
    const seen: BusEventEnvelope[] = [];
    const reading = (async () => {
      for await (const envelope of followQueryEvents(ctx, query, { signal: new AbortController().signal })) {
        seen.push(envelope);
        // The next event is published while the first is being handled: live, not replayed.
        if (seen.length === 1) await bus.publishEvent(ref, delta);
        if (seen.length === 2) await bus.publishEvent(ref, completed);
      }
    })();
    await reading;
    expect(types(seen)).toEqual(["query.started", "content.delta", "query.completed"]);
    expect(seen.map((e) => e.seq)).toEqual(seen.map((e) => e.seq).sort((a, b) => a - b));
    expect(queryEvents.subscribers(query.uid)).toBe(0);
    expect(waits.every((signal) => signal.aborted)).toBe(true);
  });

  it("leaves no subscription or Query wait behind when the client goes away mid-stream", async () => {
    const { ctx, bus, queryEvents, waits } = context();
    const client = new AbortController();
    const seen: BusEventEnvelope[] = [];
    const reading = (async () => {
      for await (const envelope of followQueryEvents(ctx, query, { signal: client.signal })) seen.push(envelope);
    })();
    await vi.waitFor(() => expect(queryEvents.subscribers(query.uid)).toBe(1));
    await bus.publishEvent(ref, started);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    client.abort();
    await reading;
    expect(queryEvents.subscribers(query.uid)).toBe(0);
    expect(waits).toHaveLength(1);
    expect(waits[0]!.aborted).toBe(true);
  });

  it("ends a query that ends without a terminal event once its Query is final, after what the bus holds", async () => {
    const { ctx, bus, finish } = context();
    const seen: BusEventEnvelope[] = [];
    const reading = (async () => {
      for await (const envelope of followQueryEvents(ctx, query, { signal: new AbortController().signal })) seen.push(envelope);
    })();
    await bus.publishEvent(ref, started);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    finish();
    await reading;
    expect(types(seen)).toEqual(["query.started"]);
  });

  it("reads a query already final from the bus alone, without waiting on the Query watch", async () => {
    const { ctx, bus, waits } = context();
    await bus.publishEvent(ref, started);
    const seen: BusEventEnvelope[] = [];
    for await (const envelope of followQueryEvents(ctx, { ...query, phase: "error" }, { signal: new AbortController().signal })) seen.push(envelope);
    expect(types(seen)).toEqual(["query.started"]);
    expect(waits).toHaveLength(0);
  });
});
