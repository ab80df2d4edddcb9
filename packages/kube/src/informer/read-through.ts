import type { KubernetesObject } from "@kubernetes/client-node";
import { objectKey } from "../resource.js";
import type { InformerCache } from "./informer-cache.js";

/** A get that answers from an informer cache, else from the API. */
export type ReadThroughGet<T> = (namespace: string, name: string) => Promise<T | undefined>;

const MAX_ABSENT = 10_000;

/**
 * Reads `namespace/name` from the cache; on a miss (or before the cache has synced) asks the API, so an object
 * created a moment ago that the watch has not delivered yet is still found. An object the API said does not
 * exist is remembered as absent until the watch reports it added, so a name that is looked up often and never
 * exists (an optional default) costs one API call, not one per lookup. Cached objects are shared: do not mutate.
 */
export function readThrough<T extends KubernetesObject>(cache: InformerCache<T>, fetch: ReadThroughGet<T>): ReadThroughGet<T> {
  const absent = new Set<string>();
  let adds = 0;
  cache.on("add", (_obj, key) => {
    adds++;
    absent.delete(key);
  });
  return async (namespace, name) => {
    const key = objectKey(namespace, name);
    const synced = cache.hasSynced();
    if (synced) {
      const cached = cache.get(namespace, name);
      if (cached) return cached;
      if (absent.has(key)) return undefined;
    }
    const addsBefore = adds;
    const found = await fetch(namespace, name);
    // Remembered only when no add arrived during the call: that add may have been this object's.
    if (!found && synced && adds === addsBefore) {
      if (absent.size >= MAX_ABSENT) absent.delete(absent.values().next().value as string);
      absent.add(key);
    }
    return found;
  };
}
