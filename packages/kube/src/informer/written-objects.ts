import type { KubernetesObject } from "@kubernetes/client-node";
import { keyOf, objectKey } from "../resource.js";
import type { InformerCache } from "./informer-cache.js";

export interface WrittenObjects<T extends KubernetesObject> {
  /** The newer of the cache's copy and what this process last wrote (the cache's once it has caught up). */
  get(namespace: string, name: string): T | undefined;
  /** Remembers what a write returned (undefined, as from a skipped write, is ignored). */
  record(obj: T | undefined): void;
}

/** Whether `a` is a later version of the same object than `b`; false when resourceVersions are not integers (opaque). */
function isNewer(a: KubernetesObject, b: KubernetesObject): boolean {
  if (a.metadata?.uid !== b.metadata?.uid) return false;
  const va = Number(a.metadata?.resourceVersion);
  const vb = Number(b.metadata?.resourceVersion);
  return Number.isSafeInteger(va) && Number.isSafeInteger(vb) && va > vb;
}

/**
 * The informer cache overlaid with this process's own writes until the watch delivers them (client-go's
 * MutationCache): a reconcile that runs again right after a write sees that write, instead of the older cached
 * copy, and does not repeat it. Relies on integer resourceVersions (etcd's and ark-apiserver's); with opaque ones
 * it answers the cache's copy.
 */
export function writtenObjects<T extends KubernetesObject>(cache: InformerCache<T>): WrittenObjects<T> {
  const written = new Map<string, T>();
  const catchUp = (obj: T, key: string) => {
    const mine = written.get(key);
    if (mine && !isNewer(mine, obj)) written.delete(key);
  };
  cache.on("add", catchUp);
  cache.on("update", catchUp);
  cache.on("delete", (_obj, key) => written.delete(key));
  return {
    get(namespace, name) {
      const cached = cache.get(namespace, name);
      const key = objectKey(namespace, name);
      const mine = written.get(key);
      if (!mine) return cached;
      if (cached && isNewer(mine, cached)) return mine;
      written.delete(key);
      return cached;
    },
    record(obj) {
      if (obj) written.set(keyOf(obj), obj);
    },
  };
}
