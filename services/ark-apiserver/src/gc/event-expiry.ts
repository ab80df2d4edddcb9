import type { ObjectCache } from "../cache/object-cache.js";
import { deleteStored } from "../api/write/delete-stored.js";
import type { KubeObject } from "../kube-object.js";
import { PreconditionFailedError } from "../store/errors.js";
import type { ObjectStore } from "../store/object-store.js";

const EVENT_RESOURCES = [
  { group: "", resource: "events" },
  { group: "events.k8s.io", resource: "events" },
];

/** The newest time an Event reports itself active (Kubernetes' TTL restarts on every write of it). */
function lastActivity(event: Record<string, any>): number {
  const times = [event.lastTimestamp, event.eventTime, event.series?.lastObservedTime, event.deprecatedLastTimestamp, event.metadata?.creationTimestamp];
  let newest = 0;
  for (const t of times) {
    const ms = typeof t === "string" ? Date.parse(t) : Number.NaN;
    if (Number.isFinite(ms) && ms > newest) newest = ms;
  }
  return newest;
}

/**
 * Deletes Events whose last activity is older than `ttlMs`, as Kubernetes' --event-ttl does (1 hour there):
 * Events have their own cap per namespace, and expiring keeps a long-running namespace under it.
 */
export async function expireEvents(cache: ObjectCache, store: ObjectStore, ttlMs: number, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (const { group, resource } of EVENT_RESOURCES) {
    const listed = cache.list({ group, resource }, []);
    for (const item of listed?.items ?? []) {
      const object = JSON.parse(item.text) as KubeObject;
      if (lastActivity(object) > now - ttlMs) continue;
      const key = { group, resource, namespace: item.namespace, name: item.name };
      try {
        const outcome = await deleteStored(store, key, { object, text: item.text, resourceVersion: Number(object.metadata.resourceVersion) });
        if (outcome.deleted) deleted++;
      } catch (err) {
        // Written or deleted meanwhile (another replica's sweep, a recorder bumping it): the next sweep decides.
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
  }
  return deleted;
}
