import { WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { createWorkQueue, type ProcessKey } from "./work-queue.js";

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A handler whose calls wait until released, to hold keys "in flight". */
function gatedHandler() {
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const handler: ProcessKey = async (key) => {
    calls.push(key);
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((release) => gates.push(release));
    running--;
  };
  return { handler, calls, releaseAll: () => gates.splice(0).forEach((g) => g()), maxRunning: () => maxRunning };
}

const POLL = { ...WITHIN_TEST_TIMEOUT, interval: 2 };

describe("work queue", () => {
  it("deduplicates a key that is already waiting", async () => {
    const seen: string[] = [];
    const queue = createWorkQueue(async (key) => void seen.push(key));
    queue.add("ns/a");
    queue.add("ns/a");
    queue.add("ns/b");
    queue.add("ns/a");
    expect(queue.length()).toBe(2);
    queue.start();
    await expect.poll(() => seen.length, POLL).toBe(2);
    await tick();
    expect(seen).toEqual(["ns/a", "ns/b"]);
    await queue.shutDown();
  });

  it("never processes one key twice at once, and processes it again when re-added meanwhile", async () => {
    const gated = gatedHandler();
    const queue = createWorkQueue(gated.handler, { concurrency: 4 });
    queue.start();
    queue.add("ns/a");
    await expect.poll(() => gated.calls.length, POLL).toBe(1);
    queue.add("ns/a");
    queue.add("ns/a");
    await tick();
    expect(gated.calls).toEqual(["ns/a"]);
    gated.releaseAll();
    await expect.poll(() => gated.calls.length, POLL).toBe(2);
    gated.releaseAll();
    await queue.shutDown();
    expect(gated.calls).toEqual(["ns/a", "ns/a"]);
    expect(gated.maxRunning()).toBe(1);
  });

  it("runs at most `concurrency` keys together", async () => {
    const gated = gatedHandler();
    const queue = createWorkQueue(gated.handler, { concurrency: 2 });
    for (const k of ["a", "b", "c", "d", "e"]) queue.add(`ns/${k}`);
    queue.start();
    await expect.poll(() => gated.calls.length, POLL).toBe(2);
    await tick();
    expect(gated.calls).toHaveLength(2);
    while (gated.calls.length < 5) {
      gated.releaseAll();
      await tick();
    }
    gated.releaseAll();
    await queue.shutDown();
    expect(gated.maxRunning()).toBe(2);
    expect(new Set(gated.calls).size).toBe(5);
  });

  it("retries a failing key with growing delays and resets them after a success", async () => {
    const delays: number[] = [];
    let calls = 0;
    const queue = createWorkQueue(
      async () => {
        calls++;
        if (calls <= 3 || calls === 5) throw new Error(`failure ${calls}`);
      },
      { backoff: { baseMs: 2, maxMs: 6 }, onError: (_key, _err, retryInMs) => delays.push(retryInMs) },
    );
    queue.start();
    queue.add("ns/a");
    await expect.poll(() => calls, POLL).toBe(4);
    await tick();
    expect(queue.failures("ns/a")).toBe(0);
    expect(delays).toEqual([2, 4, 6]);
    queue.add("ns/a");
    await expect.poll(() => calls, POLL).toBe(6);
    expect(delays).toEqual([2, 4, 6, 2]);
    await queue.shutDown();
  });

  it("requeues after the delay a handler asks for", async () => {
    let calls = 0;
    const queue = createWorkQueue(async () => (++calls === 1 ? { requeueAfter: 5 } : undefined));
    queue.start();
    queue.add("ns/a");
    await expect.poll(() => calls, POLL).toBe(2);
    await queue.shutDown();
    expect(calls).toBe(2);
  });

  it("keeps the earliest of several pending addAfter delays", async () => {
    const seen: string[] = [];
    const queue = createWorkQueue(async (key) => void seen.push(key));
    queue.start();
    queue.addAfter("ns/a", 60_000);
    queue.addAfter("ns/a", 1);
    await expect.poll(() => seen.length, POLL).toBe(1);
    await queue.shutDown();
  });

  it("shutDown waits for in-flight work and then takes no more keys", async () => {
    const gated = gatedHandler();
    const queue = createWorkQueue(gated.handler);
    queue.start();
    queue.add("ns/a");
    queue.add("ns/b");
    queue.addAfter("ns/c", 1);
    await expect.poll(() => gated.calls.length, POLL).toBe(1);
    let finished = false;
    const shutDown = queue.shutDown().then(() => (finished = true));
    await tick();
    expect(finished).toBe(false);
    gated.releaseAll();
    await shutDown;
    queue.add("ns/d");
    await new Promise((r) => setTimeout(r, 5));
    expect(gated.calls).toEqual(["ns/a"]);
  });
});
