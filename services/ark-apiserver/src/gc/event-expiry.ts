import type { ObjectCache } from "../cache/object-cache.js";
import { deleteStored } from "../api/write/delete-stored.js";
import type { KubeObject, ObjectKey } from "../kube-object.js";
import { PreconditionFailedError } from "../store/errors.js";
import type { ObjectStore, StoredObject } from "../store/object-store.js";
import { EVENT_RESOURCES } from "../resources/events.js";

/** Deletes the sweep keeps in flight. */
const SWEEP_IN_FLIGHT = 256;

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
    const expired: { key: ObjectKey; current: StoredObject }[] = [];
    for (const item of listed?.items ?? []) {
      const object = JSON.parse(item.text) as KubeObject;
      if (lastActivity(object) > now - ttlMs) continue;
      expired.push({ key: { group, resource, namespace: item.namespace, name: item.name }, current: { object, text: item.text, resourceVersion: Number(object.metadata.resourceVersion) } });
    }
    // Many deletes in flight at once share group-commit transactions (one set-based statement each).
    for (let at = 0; at < expired.length; at += SWEEP_IN_FLIGHT) {
      const outcomes = await Promise.allSettled(expired.slice(at, at + SWEEP_IN_FLIGHT).map(({ key, current }) => deleteStored(store, key, current)));
      for (const outcome of outcomes) {
        if (outcome.status === "fulfilled") deleted += outcome.value.deleted ? 1 : 0;
        // Written or deleted meanwhile (another replica's sweep, a recorder bumping it): the next sweep decides.
        else if (!(outcome.reason instanceof PreconditionFailedError)) throw outcome.reason;
      }
    }
  }
  return deleted;
}
