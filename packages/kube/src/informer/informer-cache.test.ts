import { KubeConfig, type KubernetesListObject, type KubernetesObject } from "@kubernetes/client-node";
import { WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { createInformerCache } from "./informer-cache.js";
import type { WatchLike } from "./reflector-watch.js";

type Obj = KubernetesObject & { metadata: { name: string; namespace: string; resourceVersion: string } };
const obj = (name: string, rv: number): Obj => ({ metadata: { name, namespace: "ns", resourceVersion: String(rv) } });

/** A scripted API: lists return `items`, each watch call is recorded and can be fed events or ended. */
function fakeApi() {
  let items: Obj[] = [];
  let listCalls = 0;
  let listFailures = 0;
  const watches: { params: Record<string, unknown>; send(type: string, o: unknown): void; end(err: unknown): void }[] = [];
  const watch: WatchLike = {
    async watch(_path, params, callback, done) {
      const controller = new AbortController();
      controller.signal.addEventListener("abort", () => done(Object.assign(new Error("aborted"), { name: "AbortError" })));
      watches.push({ params, send: (type, o) => callback(type, o), end: done });
      return controller;
    },
  };
  const list = async (): Promise<KubernetesListObject<Obj>> => {
    listCalls++;
    if (listFailures > 0) {
      listFailures--;
      throw Object.assign(new Error("unavailable"), { statusCode: 503 });
    }
    return { items: [...items], metadata: { resourceVersion: String(Math.max(0, ...items.map((o) => Number(o.metadata.resourceVersion)))) } };
  };
  return {
    watch,
    list,
    watches,
    setItems: (next: Obj[]) => (items = next),
    failNextLists: (n: number) => (listFailures = n),
    listCalls: () => listCalls,
  };
}

const kc = new KubeConfig();
const quiet = { info() {}, warn() {}, error() {} };

const POLL = { ...WITHIN_TEST_TIMEOUT, interval: 2 };

describe("informer cache", () => {
  it("lists, then follows the watch, reporting keys", async () => {
    const api = fakeApi();
    api.setItems([obj("a", 1)]);
    const informer = createInformerCache<Obj>(kc, { group: "g", version: "v1", plural: "things" }, { ...api, log: quiet });
    const seen: string[] = [];
    informer.on("add", (_o, key) => seen.push(`add ${key}`));
    informer.on("update", (_o, key) => seen.push(`update ${key}`));
    informer.on("delete", (_o, key) => seen.push(`delete ${key}`));
    await informer.start();
    expect(informer.hasSynced()).toBe(true);
    expect(api.watches[0]?.params).toMatchObject({ resourceVersion: "1", allowWatchBookmarks: true });
    api.watches[0]?.send("ADDED", obj("b", 2));
    api.watches[0]?.send("MODIFIED", obj("a", 3));
    api.watches[0]?.send("DELETED", obj("b", 4));
    expect(seen).toEqual(["add ns/a", "add ns/b", "update ns/a", "delete ns/b"]);
    expect(informer.get("ns", "a")?.metadata.resourceVersion).toBe("3");
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(["a"]);
    await informer.stop();
  });

  it("relists on 410 Gone and reports what changed meanwhile", async () => {
    const api = fakeApi();
    api.setItems([obj("a", 1), obj("b", 2)]);
    const informer = createInformerCache<Obj>(kc, { group: "g", version: "v1", plural: "things" }, { ...api, log: quiet });
    const seen: string[] = [];
    informer.on("update", (_o, key) => seen.push(`update ${key}`));
    informer.on("delete", (_o, key) => seen.push(`delete ${key}`));
    informer.on("add", (_o, key) => seen.push(`add ${key}`));
    await informer.start();
    seen.length = 0;
    api.setItems([obj("a", 7), obj("c", 8)]);
    api.watches[0]?.send("ERROR", { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" });
    await expect.poll(() => api.watches.length, POLL).toBe(2);
    expect(api.listCalls()).toBe(2);
    expect(seen.sort()).toEqual(["add ns/c", "delete ns/b", "update ns/a"]);
    expect(api.watches[1]?.params.resourceVersion).toBe("8");
    await informer.stop();
  });

  it("restarts with backoff after other errors, and start() waits for the first good list", async () => {
    const api = fakeApi();
    api.setItems([obj("a", 1)]);
    api.failNextLists(2);
    const informer = createInformerCache<Obj>(kc, { group: "g", version: "v1", plural: "things" }, { ...api, log: quiet, backoff: { baseMs: 1, maxMs: 2 } });
    await informer.start();
    expect(api.listCalls()).toBe(3);
    expect(informer.get("ns", "a")).toBeDefined();
    api.watches[0]?.end(Object.assign(new Error("connection reset"), { statusCode: 500 }));
    await expect.poll(() => api.watches.length, POLL).toBe(2);
    expect(api.watches[1]?.params.resourceVersion).toBe("1");
    await informer.stop();
    const watchesAfterStop = api.watches.length;
    await new Promise((r) => setTimeout(r, 10));
    expect(api.watches.length).toBe(watchesAfterStop);
  });
});
