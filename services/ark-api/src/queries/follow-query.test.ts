import { MemoryQueryBus } from "@ark/bus";
import type { BusEventEnvelope, QueryEvent } from "@ark/types";
import { describe, expect, it, vi } from "vitest";
import type { ApiContext } from "../context.js";
import { followQueryEvents, type QueryIdentity } from "./follow-query.js";
import { QueryEventFanout, type QueryEventFanoutOptions } from "./query-event-fanout.js";

const target = { type: "agent" as const, name: "weather" };
const started: QueryEvent = { type: "query.started", time: new Date().toISOString(), namespace: "default", name: "q", targets: [target] };
const delta: QueryEvent = { type: "content.delta", time: new Date().toISOString(), target, chunk: "sunny" };
const completed: QueryEvent = { type: "query.completed", time: new Date().toISOString(), responses: [{ target, content: "sunny" }], tokenUsage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 } };

/** ark-api's context as followQueryEvents uses it: a bus, the fan-out over it, and a Query watch that ends when told. */
function context(fanout: QueryEventFanoutOptions = {}) {
  const bus = new MemoryQueryBus();
  const queryEvents = new QueryEventFanout(bus, { warn: () => undefined }, fanout);
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

  describe("replaying what came before the stream", () => {
    /** Reads a whole stream of a query already final. */
    async function readAll(ctx: ApiContext, identity: QueryIdentity, afterSeq?: number): Promise<BusEventEnvelope[]> {
      const seen: BusEventEnvelope[] = [];
      for await (const envelope of followQueryEvents(ctx, { ...identity, phase: "done" }, { signal: new AbortController().signal, ...(afterSeq ? { afterSeq } : {}) })) seen.push(envelope);
      return seen;
    }

    /** The fan-out's watch is open once a first stream has subscribed (here one of another query, gone at once). */
    async function openWatch(ctx: ApiContext): Promise<void> {
      const unsubscribe = await ctx.queryEvents.subscribe("someone-else", () => undefined);
      unsubscribe();
    }

    /** The watch open, then a whole run of the query published: what the bus holds of it. */
    async function publishedRun(ctx: ApiContext, bus: MemoryQueryBus): Promise<BusEventEnvelope[]> {
      await openWatch(ctx);
      for (const event of [started, delta, completed]) await bus.publishEvent(ref, event);
      return collectBus(bus, ref);
    }

    /** A run of the query whose first event was published before the watch opened, the rest after. */
    async function runAcrossWatchOpening(ctx: ApiContext, bus: MemoryQueryBus): Promise<void> {
      await bus.publishEvent(ref, started);
      await openWatch(ctx);
      await bus.publishEvent(ref, delta);
      await bus.publishEvent(ref, completed);
      await Promise.resolve();
    }

    const second = { namespace: "default", name: "q2", uid: "uid-2" };
    const secondRef = { namespace: "default", name: "q2", queryUid: "uid-2" };

    it("replays a finished query from the fan-out's recent events, without reading the bus, the same events as the bus holds", async () => {
      const { ctx, bus } = context();
      const fromBus = await publishedRun(ctx, bus);
      const readEvents = vi.spyOn(bus, "readEvents");
      const seen = await readAll(ctx, query);
      expect(readEvents).not.toHaveBeenCalled();
      expect(seen).toEqual(fromBus);
      // After a Last-Event-ID: only what came after it.
      expect(await readAll(ctx, query, fromBus[0]!.seq)).toEqual(fromBus.slice(1));
      expect(readEvents).not.toHaveBeenCalled();
    });

    it("reads the bus for a query whose first events came before the watch opened", async () => {
      const { ctx, bus } = context();
      await runAcrossWatchOpening(ctx, bus);
      const readEvents = vi.spyOn(bus, "readEvents");
      expect(types(await readAll(ctx, query))).toEqual(["query.started", "content.delta", "query.completed"]);
      expect(readEvents).toHaveBeenCalledTimes(1);
    });

    it("keeps recent queries within its budget, oldest dropped first, and reads the bus for those", async () => {
      const { ctx, bus } = context({ recentBytes: 2_000 });
      await openWatch(ctx);
      for (const event of [started, delta, completed]) await bus.publishEvent(ref, event);
      const long: QueryEvent = { ...delta, chunk: "x".repeat(1_200) };
      for (const event of [started, long, completed]) await bus.publishEvent(secondRef, event);
      await Promise.resolve();
      const readEvents = vi.spyOn(bus, "readEvents");
      expect(types(await readAll(ctx, second))).toEqual(["query.started", "content.delta", "query.completed"]);
      expect(readEvents).not.toHaveBeenCalled();
      expect(types(await readAll(ctx, query))).toEqual(["query.started", "content.delta", "query.completed"]);
      expect(readEvents).toHaveBeenCalledTimes(1);
    });

    // Created well after the watch went live (the rule allows the API server's clock a 2 s margin).
    const later = () => Date.now() + 5_000;

    it("replays a query created after the watch went live from what the watch saw, asking the bus nothing", async () => {
      const { ctx, bus } = context();
      const fromBus = await publishedRun(ctx, bus);
      const firstEventSeq = vi.spyOn(bus, "firstEventSeq");
      const readEvents = vi.spyOn(bus, "readEvents");
      expect(await readAll(ctx, { ...query, createdAt: later() })).toEqual(fromBus);
      // One not started yet: nothing to replay, all of it live.
      const seen: BusEventEnvelope[] = [];
      const reading = (async () => {
        for await (const envelope of followQueryEvents(ctx, { ...second, createdAt: later() }, { signal: new AbortController().signal })) seen.push(envelope);
      })();
      await vi.waitFor(() => expect(ctx.queryEvents.subscribers(second.uid)).toBe(1));
      for (const event of [started, delta, completed]) await bus.publishEvent(secondRef, event);
      await reading;
      expect(types(seen)).toEqual(["query.started", "content.delta", "query.completed"]);
      expect(firstEventSeq).not.toHaveBeenCalled();
      expect(readEvents).not.toHaveBeenCalled();
    });

    it("asks the bus for a query created before the watch went live, or one whose events it dropped", async () => {
      const { ctx, bus } = context({ recentBytes: 2_000 });
      await runAcrossWatchOpening(ctx, bus);
      const readEvents = vi.spyOn(bus, "readEvents");
      // Created now: within the margin of the watch going live, so its first event may predate it (it does).
      expect(types(await readAll(ctx, { ...query, createdAt: Date.now() }))).toEqual(["query.started", "content.delta", "query.completed"]);
      expect(readEvents).toHaveBeenCalledTimes(1);
      // A later query's events go over the budget: dropped, so the bus is read for them however late it was created.
      const long: QueryEvent = { ...delta, chunk: "x".repeat(2_500) };
      for (const event of [started, long, completed]) await bus.publishEvent(secondRef, event);
      await Promise.resolve();
      expect(types(await readAll(ctx, { ...second, createdAt: later() }))).toEqual(["query.started", "content.delta", "query.completed"]);
      expect(readEvents).toHaveBeenCalledTimes(2);
    });

    it("forgets its recent events when the bus watch had to recover (it may have skipped some)", async () => {
      const { ctx, bus } = context();
      let onError: ((error: unknown) => void) | undefined;
      const watchEvents = bus.watchEvents.bind(bus);
      vi.spyOn(bus, "watchEvents").mockImplementation((listener, opts) => {
        onError = opts?.onError;
        return watchEvents(listener, opts);
      });
      await openWatch(ctx);
      for (const event of [started, delta, completed]) await bus.publishEvent(ref, event);
      await Promise.resolve();
      onError?.(new Error("the events consumer ended; starting a new one"));
      const readEvents = vi.spyOn(bus, "readEvents");
      expect(types(await readAll(ctx, query))).toEqual(["query.started", "content.delta", "query.completed"]);
      expect(readEvents).toHaveBeenCalledTimes(1);
    });
  });
});

async function collectBus(bus: MemoryQueryBus, from: typeof ref): Promise<BusEventEnvelope[]> {
  const events: BusEventEnvelope[] = [];
  for await (const envelope of bus.readEvents(from, { follow: false })) events.push(envelope);
  return events;
}
