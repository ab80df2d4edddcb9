import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { kubeConfigForUrl } from "./test-support/fake-api.js";
import { WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { afterEach, describe, expect, it } from "vitest";
import { createEventRecorder } from "./events.js";

/**
 * An API that holds every Event create until release() and records the reasons in arrival order. `lists`: it takes a
 * `v1` List of Events as ark-apiserver does (one Status per item), else it answers such a List 400 as kube-apiserver does.
 */
async function slowEventsApi({ lists = true, maxListItems = Infinity }: { lists?: boolean; maxListItems?: number } = {}) {
  const held: { res: ServerResponse; events: { reason: string; metadata: { name: string } }[]; list: boolean }[] = [];
  const reasons: string[] = [];
  /** The reasons each request carried, in arrival order. */
  const requests: string[][] = [];
  /** Date.now() when each Event reached the API, by reason. */
  const arrivedAt = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { kind?: string; reason: string; metadata: { name: string }; items?: { reason: string; metadata: { name: string } }[] };
      const list = parsed.kind === "List";
      if (list && lists && parsed.items!.length > maxListItems) {
        res.writeHead(413, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "RequestEntityTooLarge", message: "the request body is too large", code: 413 }));
        return;
      }
      if (list && !lists) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "BadRequest", message: "the kind in the data (List) does not match the expected kind (Event)", code: 400 }));
        return;
      }
      const events = list ? parsed.items! : [parsed];
      requests.push(events.map((e) => e.reason));
      for (const event of events) {
        reasons.push(event.reason);
        arrivedAt.set(event.reason, Date.now());
      }
      held.push({ res, events, list });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const kc = kubeConfigForUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    kc,
    reasons,
    requests,
    arrivedAt,
    held: () => held.length,
    release() {
      for (const { res, events, list } of held.splice(0)) {
        res.writeHead(list ? 200 : 201, { "content-type": "application/json" });
        const statuses = events.map((e) => ({ kind: "Status", apiVersion: "v1", status: "Success", details: { name: e.metadata.name, kind: "events", uid: `uid-${e.reason}` } }));
        const created = { ...events[0], metadata: { ...events[0]!.metadata, uid: `uid-${events[0]!.reason}` } };
        res.end(JSON.stringify(list ? { kind: "List", apiVersion: "v1", items: statuses } : created));
      }
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const POLL = { ...WITHIN_TEST_TIMEOUT, interval: 5 };

describe("event recorder", () => {
  let api: Awaited<ReturnType<typeof slowEventsApi>> | undefined;
  afterEach(async () => {
    api?.release();
    await api?.close();
  });

  const query = (name: string) => ({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Query", metadata: { name, namespace: "ns", uid: name } });
  const quiet = { info() {}, warn() {}, error() {} };

  it("writes a few events at a time, the rest in the order recorded, each with the time of its record call", async () => {
    api = await slowEventsApi();
    const recorder = createEventRecorder(api.kc, { component: "test", concurrency: 2, maxPerRequest: 1, log: quiet });
    const before = Date.now();
    const written = ["A", "B", "C", "D"].map((reason) => recorder.record(query(reason), { type: "Normal", reason, message: "m" }));
    await expect.poll(() => api!.held(), POLL).toBe(2);
    expect(api.reasons).toEqual(["A", "B"]);
    api.release();
    await expect.poll(() => api!.held(), POLL).toBe(2);
    api.release();
    const events = await Promise.all(written);
    expect(api.reasons).toEqual(["A", "B", "C", "D"]);
    for (const event of events) expect(new Date(event.firstTimestamp as unknown as string).getTime()).toBeLessThanOrEqual(before + 1000);
  });

  it("holds an Event recorded while none is being written for the batch window, and writes the ones recorded meanwhile with it", async () => {
    api = await slowEventsApi();
    const recorder = createEventRecorder(api.kc, { component: "test", batchWindowMs: 2_000, log: quiet });
    const firstAt = Date.now();
    const first = recorder.record(query("a"), { type: "Normal", reason: "A", message: "m" });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Still inside A's window: nothing has gone out, and B joins A.
    expect(api.held()).toBe(0);
    const second = recorder.record(query("b"), { type: "Normal", reason: "B", message: "m" });
    await expect.poll(() => api!.held(), POLL).toBe(1);
    expect(api.requests).toEqual([["A", "B"]]);
    api.release();
    await Promise.all([first, second]);
    const a = api.arrivedAt.get("A")!;
    const b = api.arrivedAt.get("B")!;
    expect(a - firstAt).toBeGreaterThanOrEqual(1_900);
    // Recorded a second apart, written together: B did not wait a window of its own.
    expect(Math.abs(b - a)).toBeLessThan(500);
  });

  it("drops an event when too many wait, as client-go does, and keeps the others", async () => {
    api = await slowEventsApi();
    const recorder = createEventRecorder(api.kc, { component: "test", concurrency: 1, maxPerRequest: 1, maxQueued: 2, log: quiet });
    const first = recorder.record(query("a"), { type: "Normal", reason: "A", message: "m" });
    const second = recorder.record(query("b"), { type: "Normal", reason: "B", message: "m" });
    await expect(recorder.record(query("c"), { type: "Normal", reason: "C", message: "m" })).rejects.toThrow("event dropped: 2 events already waiting");
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await Promise.all([first, second]);
    expect(api.reasons).toEqual(["A", "B"]);
  });

  it("on close writes what was recorded, then refuses new events; what is still unwritten at the timeout is dropped", async () => {
    api = await slowEventsApi();
    const recorder = createEventRecorder(api.kc, { component: "test", concurrency: 1, maxPerRequest: 1, log: quiet });
    const recorded = ["A", "B"].map((reason) => recorder.record(query(reason), { type: "Normal", reason, message: "m" }));
    const closing = recorder.close(60_000);
    await expect(recorder.record(query("c"), { type: "Normal", reason: "C", message: "m" })).rejects.toThrow("the recorder is closed");
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    expect(await closing).toBe(0);
    await Promise.all(recorded);
    expect(api.reasons).toEqual(["A", "B"]);

    const stuck = createEventRecorder(api.kc, { component: "test", concurrency: 1, maxPerRequest: 1, log: quiet });
    void stuck.record(query("d"), { type: "Normal", reason: "D", message: "m" }).catch(() => undefined);
    void stuck.record(query("e"), { type: "Normal", reason: "E", message: "m" }).catch(() => undefined);
    await expect.poll(() => api!.held(), POLL).toBe(1);
    // D is held by the API, E waits behind it: neither is written within 50 ms.
    expect(await stuck.close(50)).toBe(2);
    api.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.reasons).toEqual(["A", "B", "D"]);
  });

  it("writes the Events recorded together as one List request, each resolved with its own name and uid, in the order recorded", async () => {
    api = await slowEventsApi();
    const recorder = createEventRecorder(api.kc, { component: "test", maxPerRequest: 3, log: quiet });
    const written = ["A", "B", "C", "D"].map((reason) => recorder.record(query(reason.toLowerCase()), { type: "Normal", reason, message: "m" }));
    // Four recorded in one turn, at most three a request: two requests, both at once (concurrency 8).
    await expect.poll(() => api!.held(), POLL).toBe(2);
    expect(api.requests).toEqual([["A", "B", "C"], ["D"]]);
    api.release();
    const events = await Promise.all(written);
    expect(events.map((e) => [e.reason, e.metadata?.uid, e.involvedObject.name])).toEqual([
      ["A", "uid-A", "a"],
      ["B", "uid-B", "b"],
      ["C", "uid-C", "c"],
      ["D", "uid-D", "d"],
    ]);
    expect(new Set(events.map((e) => e.metadata?.name)).size).toBe(4);
  });

  it("names the Events about one object recorded in the same millisecond apart, as DNS subdomain names after the object's", async () => {
    api = await slowEventsApi();
    const recorder = createEventRecorder(api.kc, { component: "test", log: quiet });
    const written = Array.from({ length: 50 }, (_, i) => recorder.record(query("q"), { type: "Normal", reason: "Step", message: `step ${i}` }));
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    const names = (await Promise.all(written)).map((e) => e.metadata?.name ?? "");
    expect(new Set(names).size).toBe(50);
    for (const name of names) expect(name).toMatch(/^q\.[0-9a-f]+$/);
  });

  it("sends one Event a request to an API server that refuses a List (kube-apiserver), losing none, and keeps to that", async () => {
    api = await slowEventsApi({ lists: false });
    const warned: unknown[] = [];
    const recorder = createEventRecorder(api.kc, { component: "test", log: { ...quiet, warn: (obj: unknown) => warned.push(obj) } });
    const first = ["A", "B"].map((reason) => recorder.record(query(reason), { type: "Normal", reason, message: "m" }));
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await Promise.all(first);
    const second = ["C", "D"].map((reason) => recorder.record(query(reason), { type: "Normal", reason, message: "m" }));
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await Promise.all(second);
    expect(api.requests).toEqual([["A"], ["B"], ["C"], ["D"]]);
    expect(warned).toHaveLength(1);
  });

  it("sends the Events of a List over the server's body limit one request each, and the next ones as a List again", async () => {
    api = await slowEventsApi({ maxListItems: 2 });
    const recorder = createEventRecorder(api.kc, { component: "test", log: quiet });
    const big = ["A", "B", "C"].map((reason) => recorder.record(query(reason), { type: "Normal", reason, message: "m" }));
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => api!.held(), POLL).toBe(1);
      api.release();
    }
    await Promise.all(big);
    const small = ["D", "E"].map((reason) => recorder.record(query(reason), { type: "Normal", reason, message: "m" }));
    await expect.poll(() => api!.held(), POLL).toBe(1);
    api.release();
    await Promise.all(small);
    expect(api.requests).toEqual([["A"], ["B"], ["C"], ["D", "E"]]);
  });
});
