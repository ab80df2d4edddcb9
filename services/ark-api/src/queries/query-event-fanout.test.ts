import { MemoryQueryBus } from "@ark/bus";
import type { BusEventEnvelope, QueryEvent } from "@ark/types";
import { describe, expect, it, vi } from "vitest";
import { QueryEventFanout } from "./query-event-fanout.js";

const started: QueryEvent = { type: "query.started", time: new Date().toISOString(), namespace: "default", name: "q", targets: [{ type: "agent", name: "weather" }] };
const ref = (queryUid: string) => ({ namespace: "default", name: queryUid, queryUid });
const IDLE_MS = 30;

/** A fan-out over an in-memory bus, counting the bus watches it opens and stops. */
function fanout() {
  const bus = new MemoryQueryBus();
  const watches = { opened: 0, stopped: 0 };
  const watchEvents = bus.watchEvents.bind(bus);
  vi.spyOn(bus, "watchEvents").mockImplementation(async (listener, opts) => {
    watches.opened += 1;
    const stop = await watchEvents(listener, opts);
    return () => {
      watches.stopped += 1;
      stop();
    };
  });
  const queryEvents = new QueryEventFanout(bus, { warn: () => undefined }, { idleCloseMs: IDLE_MS });
  return { bus, watches, queryEvents };
}

const idle = (times = 3) => new Promise((resolve) => setTimeout(resolve, IDLE_MS * times));

describe("QueryEventFanout's bus watch when no stream follows a query", () => {
  it("closes once no stream has followed any query for the idle time, and the next stream opens it again and gets its events", async () => {
    const { bus, watches, queryEvents } = fanout();
    const unsubscribe = await queryEvents.subscribe("uid-1", () => undefined);
    expect(watches).toEqual({ opened: 1, stopped: 0 });
    unsubscribe();
    await vi.waitFor(() => expect(watches.stopped).toBe(1));
    expect(queryEvents.watching).toBe(false);

    // Events published while it is closed reach nobody and cost ark-api nothing.
    await bus.publishEvent(ref("uid-gone"), started);
    const seen: BusEventEnvelope[] = [];
    const again = await queryEvents.subscribe("uid-2", (envelope) => seen.push(envelope));
    expect(watches).toEqual({ opened: 2, stopped: 1 });
    await bus.publishEvent(ref("uid-2"), started);
    expect(seen.map((e) => (e.event as QueryEvent).type)).toEqual(["query.started"]);
    again();
  });

  it("stays open while any stream follows some query", async () => {
    const { watches, queryEvents } = fanout();
    const first = await queryEvents.subscribe("uid-1", () => undefined);
    const second = await queryEvents.subscribe("uid-2", () => undefined);
    first();
    await idle();
    expect(watches.stopped).toBe(0);
    expect(queryEvents.watching).toBe(true);
    // A stream that comes within the idle time keeps it open too.
    second();
    const third = await queryEvents.subscribe("uid-3", () => undefined);
    await idle();
    expect(watches).toEqual({ opened: 1, stopped: 0 });
    third();
  });

  it("forgets what it kept when it closes: a query from before the reopened watch reads the bus", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { bus, watches, queryEvents } = fanout();
      vi.setSystemTime(0);
      const unsubscribe = await queryEvents.subscribe("uid-0", () => undefined);
      // Created well after the watch went live, its events all seen: replayed from the watch.
      vi.setSystemTime(10_000);
      await bus.publishEvent(ref("uid-1"), started);
      expect(queryEvents.allEvents("uid-1", 10_000)?.map((e) => (e.event as QueryEvent).type)).toEqual(["query.started"]);
      unsubscribe();
      await vi.waitFor(() => expect(watches.stopped).toBe(1));
      vi.setSystemTime(20_000);
      const again = await queryEvents.subscribe("uid-1", () => undefined);
      expect(queryEvents.allEvents("uid-1", 10_000)).toBeUndefined();
      expect(queryEvents.recentEvents("uid-1", 1)).toBeUndefined();
      again();
    } finally {
      vi.useRealTimers();
    }
  });

  it("a subscriber leaving twice does not close the watch under another one", async () => {
    const { watches, queryEvents } = fanout();
    const first = await queryEvents.subscribe("uid-1", () => undefined);
    const second = await queryEvents.subscribe("uid-1", () => undefined);
    first();
    first();
    await idle();
    expect(queryEvents.subscribers("uid-1")).toBe(1);
    expect(watches.stopped).toBe(0);
    second();
  });
});
