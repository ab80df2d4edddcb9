import { MemoryQueryBus } from "@ark/bus";
import { createLogger } from "@ark/service-kit";
import type { BusQueryRef, QueryEvent, QueryTarget } from "@ark/types";
import { WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { afterEach, describe, expect, it } from "vitest";
import { RunTracker } from "./run-tracker.js";

const time = "2026-11-25T10:00:00.000Z";
const a: QueryTarget = { type: "agent", name: "a" };
const usage = { promptTokens: 3, completionTokens: 2, totalTokens: 5 };
const started: QueryEvent = { type: "query.started", time, namespace: "ns", name: "q", targets: [a] };
const delta: QueryEvent = { type: "llm.content.delta", time, target: a, delta: "4" } as unknown as QueryEvent;
const answered: QueryEvent = { type: "target.completed", time, target: a, content: "42", durationMs: 5 };
const completed: QueryEvent = { type: "query.completed", time, responses: [{ target: a, content: "42" }], tokenUsage: usage, durationMs: 9 };

function tracked() {
  const bus = new MemoryQueryBus<QueryEvent>();
  const seen: Array<{ uid: string; type: string; replayed: boolean }> = [];
  const finished: string[] = [];
  let onFinished = () => {};
  const tracker = new RunTracker({
    bus,
    log: createLogger({ level: "silent" }),
    onEvent: (ref, event, replayed) => seen.push({ uid: ref.queryUid, type: event.type, replayed }),
    onFinished: (ref) => {
      finished.push(ref.queryUid);
      onFinished();
    },
  });
  const finishing = () => new Promise<void>((resolve) => (onFinished = resolve));
  return { bus, tracker, seen, finished, finishing };
}

const ref = (uid: string): BusQueryRef => ({ namespace: "ns", name: "q", queryUid: uid });
const POLL = { ...WITHIN_TEST_TIMEOUT, interval: 5 };

describe("RunTracker", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("follows a new run live and reports it finished once, with what the final status needs", async () => {
    const { bus, tracker, seen, finished, finishing } = tracked();
    cleanups.push(async () => (tracker.stopAll(), await bus.close()));
    const record = tracker.follow(ref("u1"));
    const done = finishing();
    await expect.poll(() => tracker.size, POLL).toBe(1);
    for (const event of [started, delta, answered, completed]) await bus.publishEvent(ref("u1"), event);
    await done;
    expect(record.terminal?.type).toBe("query.completed");
    expect(record.responses).toEqual([{ target: a, content: "42" }]);
    expect(seen.map((s) => [s.type, s.replayed])).toEqual([
      ["query.started", false],
      ["llm.content.delta", false],
      ["target.completed", false],
      ["query.completed", false],
    ]);
    expect(finished).toEqual(["u1"]);
  });

  it("catches up on a run adopted mid-flight (a restart): earlier events replayed, later ones live, none twice", async () => {
    const { bus, tracker, seen, finished, finishing } = tracked();
    cleanups.push(async () => (tracker.stopAll(), await bus.close()));
    await bus.publishEvent(ref("u2"), started);
    await bus.publishEvent(ref("u2"), answered);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the follow starts strictly later than those events
    const record = tracker.follow(ref("u2"));
    await expect.poll(() => seen.length, POLL).toBe(2);
    const done = finishing();
    await bus.publishEvent(ref("u2"), completed);
    await done;
    expect(seen.map((s) => [s.type, s.replayed])).toEqual([
      ["query.started", true],
      ["target.completed", true],
      ["query.completed", false],
    ]);
    expect(record.responses).toEqual([{ target: a, content: "42" }]);
    expect(finished).toEqual(["u2"]);
  });

  it("ignores the events of runs it does not follow, or no longer follows", async () => {
    const { bus, tracker, seen, finishing } = tracked();
    cleanups.push(async () => (tracker.stopAll(), await bus.close()));
    tracker.follow(ref("kept"));
    tracker.follow(ref("dropped"));
    await expect.poll(() => tracker.size, POLL).toBe(2);
    tracker.stop("dropped");
    const done = finishing();
    await bus.publishEvent(ref("other"), started);
    await bus.publishEvent(ref("dropped"), completed);
    await bus.publishEvent(ref("kept"), completed);
    await done;
    expect(seen.map((s) => s.uid)).toEqual(["kept"]);
    expect(tracker.get("dropped")).toBeUndefined();
  });

  it("asks the bus for a run's earlier events only for a query older than its watch", async () => {
    const { bus, tracker, seen, finishing } = tracked();
    cleanups.push(async () => (tracker.stopAll(), await bus.close()));
    let lookups = 0;
    const lastEvent = bus.lastEvent.bind(bus);
    bus.lastEvent = (r) => {
      lookups += 1;
      return lastEvent(r);
    };
    tracker.follow(ref("first"));
    await expect.poll(() => lookups, POLL).toBe(1);
    const watchLive = Date.now();

    // Created well after the watch went live: everything it publishes reaches the watch, no lookup.
    const young = tracker.follow(ref("young"), { createdAt: watchLive + 60_000 });
    const done = finishing();
    await bus.publishEvent(ref("young"), started);
    await bus.publishEvent(ref("young"), completed);
    await done;
    expect(young.terminal?.type).toBe("query.completed");
    expect(lookups).toBe(1);

    // Created before the watch (a restart adopting it, or a job enqueued before a crash): its earlier events are read.
    await bus.publishEvent(ref("old"), started);
    await new Promise((resolve) => setTimeout(resolve, 5));
    tracker.follow(ref("old"), { createdAt: watchLive - 60_000 });
    await expect.poll(() => seen.map((s) => s.uid), POLL).toContain("old");
    expect(lookups).toBe(2);
    expect(seen.filter((s) => s.uid === "old").map((s) => [s.type, s.replayed])).toEqual([["query.started", true]]);
  });
});
