import { EventEmitter } from "node:events";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import type { Change, ChangeLog } from "../store/change-log.js";
import { ChangeFeed, FeedBehindError } from "./change-feed.js";

function change(rv: number): Change {
  return { rv, type: "MODIFIED", group: "", resource: "configmaps", namespace: "default", name: `c${rv}`, labels: {}, object: "{}", prevObject: null };
}

/** A change log holding `rvs` (gaps are failed writes or pruned history); `append` commits more. */
function logWith(rvs: number[]): ChangeLog & { append(...rvs: number[]): void } {
  let retained = [...rvs];
  return {
    append: (...more: number[]) => retained.push(...more),
    after: async (rv: number, limit: number) =>
      retained
        .filter((r) => r > rv)
        .slice(0, limit)
        .map(change),
    oldest: async () => retained[0] ?? null,
    latest: async () => retained[retained.length - 1] ?? 0,
    prune: async (keep: number) => {
      retained = retained.slice(-keep);
      return 0;
    },
  } as unknown as ChangeLog & { append(...rvs: number[]): void };
}

describe("change feed", () => {
  const noPool = {} as pg.Pool;

  it("hands out changes across gaps left by failed writes, up to a resourceVersion asked for", async () => {
    const seen: number[] = [];
    let lost = 0;
    const feed = new ChangeFeed(
      noPool,
      logWith([1, 2, 5, 6]),
      (cs) => seen.push(...cs.map((c) => c.rv)),
      (err) => {
        throw err;
      },
      {
        onHistoryLost: async () => ++lost,
      },
    );
    await feed.reach(6);
    expect(seen).toEqual([1, 2, 5, 6]);
    expect(feed.position).toBe(6);
    expect(lost).toBe(0);
    await expect(feed.reach(7, 50)).rejects.toBeInstanceOf(FeedBehindError);
  });

  it("rebuilds when the changes after its position were pruned before it read them", async () => {
    const log = logWith([1]);
    const seen: number[] = [];
    const feed = new ChangeFeed(
      noPool,
      log,
      (cs) => seen.push(...cs.map((c) => c.rv)),
      (err) => {
        throw err;
      },
      {
        // The owner reloads its state at the newest rv and continues from there.
        onHistoryLost: async () => 6,
      },
    );
    await feed.reach(1);
    log.append(2, 3, 4, 5, 6);
    await log.prune(2, 0);
    await feed.reach(6);
    expect(seen).toEqual([1]);
    expect(feed.position).toBe(6);
  });

  it("hands out this process's own commits at once when they follow the cursor, and never twice", async () => {
    const log = logWith([1]);
    const seen: number[] = [];
    const feed = new ChangeFeed(
      noPool,
      log,
      (cs) => seen.push(...cs.map((c) => c.rv)),
      (err) => {
        throw err;
      },
    );
    await feed.reach(1);
    log.append(2, 3);
    feed.offerLocal([change(3), change(2)]);
    expect(seen).toEqual([1, 2, 3]);
    // Not following the cursor (rv 4 is someone else's, not read yet): left to the log.
    log.append(4, 5);
    feed.offerLocal([change(5)]);
    expect(seen).toEqual([1, 2, 3]);
    await feed.reach(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("reads the log on another writer's notification, and not on one for changes it already handed out", async () => {
    const log = logWith([1]);
    let reads = 0;
    const after = log.after.bind(log);
    log.after = async (rv: number, limit: number) => {
      reads += 1;
      return after(rv, limit);
    };
    const listener = Object.assign(new EventEmitter(), { query: async () => ({}), release: () => undefined });
    const pool = { connect: async () => listener } as unknown as pg.Pool;
    const seen: number[] = [];
    const feed = new ChangeFeed(
      pool,
      log,
      (cs) => seen.push(...cs.map((c) => c.rv)),
      (err) => {
        throw err;
      },
    );
    await feed.start(0);
    await feed.catchUp();
    expect(seen).toEqual([1]);
    const readsBefore = reads;

    // This process's own commit: handed out by offerLocal, then its notification (payload = highest rv) arrives.
    log.append(2);
    feed.offerLocal([change(2)]);
    listener.emit("notification", { channel: "ark_changes", payload: "2" });
    await feed.catchUp();
    expect(reads - readsBefore).toBe(1); // catchUp's own read, none from the notification
    expect(seen).toEqual([1, 2]);

    // Another replica's commit: its notification wakes a read (long before the 1 s poll).
    log.append(3);
    listener.emit("notification", { channel: "ark_changes", payload: "3" });
    for (let i = 0; i < 50 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([1, 2, 3]);
    // An older writer's empty payload still wakes a read.
    log.append(4);
    listener.emit("notification", { channel: "ark_changes", payload: "" });
    for (let i = 0; i < 50 && seen.length < 4; i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([1, 2, 3, 4]);
    await feed.stop();
  });
});
