import { describe, expect, it } from "vitest";
import { queryTimeline, runEventCollector } from "./timeline.js";

describe("the one-query timeline of pnpm bench", () => {
  it("takes each query's own steps, keeps a run event's first arrival, and counts the queries missing a mark", () => {
    const { seen, listener } = runEventCollector((name) => name.startsWith("l0-"));
    // l0-0: every event; l0-1: its llm events never seen; another query's events are not wanted.
    for (const [name, type, atMs] of [
      ["l0-0", "query.started", 103],
      ["l0-0", "llm.call.started", 104],
      ["l0-0", "llm.call.completed", 106],
      ["l0-0", "query.completed", 107],
      ["l0-0", "query.started", 150],
      ["l0-1", "query.started", 205],
      ["l0-1", "query.completed", 209],
      ["q-7", "query.started", 1],
    ] as const) {
      listener({ name, type, atMs });
    }
    expect([...seen.keys()]).toEqual(["l0-0", "l0-1"]);
    const timeline = queryTimeline(
      [
        { name: "l0-0", sentAt: 100, answeredAt: 102, finishedAt: 110 },
        { name: "l0-1", sentAt: 200, answeredAt: 204, finishedAt: 212 },
      ],
      seen,
    );
    const at = Object.fromEntries(timeline.map((t) => [t.mark, t]));
    expect(timeline.map((t) => t.mark)).toEqual(["create answered", "query.started", "llm.call.started", "llm.call.completed", "query.completed", "final status seen"]);
    // p50 of two samples is the larger one (the bench's percentiles).
    expect(at["create answered"]).toMatchObject({ fromCreateP50: 4, sincePreviousP50: 4, count: 2 });
    // The repeated query.started (150) is ignored: the first arrival counts.
    expect(at["query.started"]).toMatchObject({ fromCreateP50: 5, sincePreviousP50: 1, count: 2 });
    expect(at["llm.call.started"]).toMatchObject({ fromCreateP50: 4, sincePreviousP50: 1, count: 1 });
    // l0-1's step to query.completed runs from its query.started, the mark it had before.
    expect(at["query.completed"]).toMatchObject({ fromCreateP50: 9, sincePreviousP50: 4, count: 2 });
    expect(at["final status seen"]).toMatchObject({ fromCreateP50: 12, sincePreviousP50: 3, count: 2 });
  });
});
