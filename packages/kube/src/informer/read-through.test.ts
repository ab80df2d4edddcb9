import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { InformerCache, InformerEvent } from "./informer-cache.js";
import { readThrough } from "./read-through.js";
import { writtenObjects } from "./written-objects.js";

type Obj = KubernetesObject & { metadata: { name: string; namespace: string; uid?: string; resourceVersion?: string } };
const obj = (name: string, rv = "1", uid = "u1"): Obj => ({ metadata: { name, namespace: "ns", uid, resourceVersion: rv } });

/** An informer cache the test fills and fires events on. */
function fakeCache(synced = true) {
  const items = new Map<string, Obj>();
  const handlers: Record<InformerEvent, ((o: Obj, key: string) => void)[]> = { add: [], update: [], delete: [] };
  const cache: InformerCache<Obj> = {
    path: "/things",
    start: async () => undefined,
    stop: async () => undefined,
    hasSynced: () => synced,
    get: (namespace, name) => items.get(`${namespace}/${name}`),
    list: () => [...items.values()],
    on(event, handler) {
      handlers[event].push(handler);
      return () => undefined;
    },
  };
  const fire = (event: InformerEvent, o: Obj) => {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    if (event === "delete") items.delete(key);
    else items.set(key, o);
    handlers[event].forEach((h) => h(o, key));
  };
  return { cache, fire, setSynced: (s: boolean) => (synced = s) };
}

/** A GET that answers from `api` and counts calls. */
function fakeGet(api: Map<string, Obj>) {
  let calls = 0;
  const get = async (namespace: string, name: string) => {
    calls++;
    return api.get(`${namespace}/${name}`);
  };
  return { get, calls: () => calls };
}

describe("readThrough", () => {
  it("answers from the cache without calling the API", async () => {
    const { cache, fire } = fakeCache();
    fire("add", obj("a"));
    const api = fakeGet(new Map());
    expect(await readThrough(cache, api.get)("ns", "a")).toMatchObject({ metadata: { name: "a" } });
    expect(api.calls()).toBe(0);
  });

  it("finds an object the watch has not delivered yet through the API", async () => {
    const { cache } = fakeCache();
    const api = fakeGet(new Map([["ns/new", obj("new")]]));
    expect(await readThrough(cache, api.get)("ns", "new")).toMatchObject({ metadata: { name: "new" } });
    expect(api.calls()).toBe(1);
  });

  it("asks the API once for a name that does not exist, until the watch reports it added", async () => {
    const { cache, fire } = fakeCache();
    const api = fakeGet(new Map());
    const get = readThrough(cache, api.get);
    expect(await get("ns", "default")).toBeUndefined();
    expect(await get("ns", "default")).toBeUndefined();
    expect(api.calls()).toBe(1);
    fire("add", obj("default"));
    expect(await get("ns", "default")).toMatchObject({ metadata: { name: "default" } });
    fire("delete", obj("default"));
    expect(await get("ns", "default")).toBeUndefined();
    expect(api.calls()).toBe(2);
  });

  it("does not remember an absence when an add arrived during the API call (it may be that object's)", async () => {
    const { cache, fire } = fakeCache();
    let calls = 0;
    const get = readThrough(cache, async () => {
      calls++;
      if (calls === 1) fire("add", obj("other"));
      return undefined;
    });
    await get("ns", "x");
    await get("ns", "x");
    expect(calls).toBe(2);
  });

  it("reads from the API until the cache has synced", async () => {
    const { cache, fire, setSynced } = fakeCache(false);
    fire("add", obj("a", "1"));
    const api = fakeGet(new Map([["ns/a", obj("a", "2")]]));
    const get = readThrough(cache, api.get);
    expect((await get("ns", "a"))?.metadata.resourceVersion).toBe("2");
    expect(await get("ns", "missing")).toBeUndefined();
    setSynced(true);
    expect(await get("ns", "missing")).toBeUndefined();
    expect(api.calls()).toBe(3);
  });
});

describe("writtenObjects", () => {
  it("answers this process's write until the watch delivers it, then the cache's copy", () => {
    const { cache, fire } = fakeCache();
    fire("add", obj("q", "5"));
    const written = writtenObjects(cache);
    written.record(obj("q", "7"));
    expect(written.get("ns", "q")?.metadata.resourceVersion).toBe("7");
    fire("update", obj("q", "7"));
    expect(written.get("ns", "q")).toBe(cache.get("ns", "q"));
    fire("update", obj("q", "9"));
    expect(written.get("ns", "q")?.metadata.resourceVersion).toBe("9");
  });

  it("ignores a write to an object since deleted or recreated", () => {
    const { cache, fire } = fakeCache();
    fire("add", obj("q", "5"));
    const written = writtenObjects(cache);
    written.record(obj("q", "7"));
    fire("delete", obj("q", "8"));
    expect(written.get("ns", "q")).toBeUndefined();
    written.record(obj("q", "10", "old-uid"));
    fire("add", obj("q", "9", "new-uid"));
    expect(written.get("ns", "q")?.metadata.uid).toBe("new-uid");
  });

  it("answers the cache's copy when resourceVersions are not integers", () => {
    const { cache, fire } = fakeCache();
    fire("add", obj("q", "abc"));
    const written = writtenObjects(cache);
    written.record(obj("q", "abd"));
    expect(written.get("ns", "q")?.metadata.resourceVersion).toBe("abc");
  });
});
