import type { KubeObject, ObjectKey } from "../../kube-object.js";
import type { ResourceType } from "../../resource-type.js";
import { AlreadyExistsError } from "../../store/errors.js";
import type { Committed } from "../../store/group-commit.js";
import type { StoredObject } from "../../store/object-store.js";
import type { ApiContext } from "../context.js";
import { statusErrors } from "../status.js";
import { deleteStored } from "./delete-stored.js";
import { isNoop } from "./object-meta.js";
import type { Eviction } from "./object-quota.js";

function keyOf(rt: ResourceType, obj: KubeObject): ObjectKey {
  return { group: rt.group, resource: rt.plural, namespace: rt.namespaced ? (obj.metadata.namespace ?? "") : "", name: obj.metadata.name ?? "" };
}

const NAMESPACES = { group: "", plural: "namespaces" };

/** Creating in a missing namespace fails like Kubernetes (404), in a terminating one with 403. */
export async function checkNamespaceAcceptsObjects(ctx: ApiContext, rt: ResourceType, namespace: string, name: string): Promise<void> {
  const key = { group: "", resource: "namespaces", namespace: "", name: namespace };
  // Like Kubernetes' NamespaceLifecycle admission: the cache first, the database when the cache does not know it (yet).
  const cached = ctx.cache.current(key);
  const ns = cached ? (JSON.parse(cached.text) as KubeObject) : (await ctx.store.get(key))?.object;
  if (!ns) throw statusErrors.notFound(NAMESPACES, namespace);
  if (ns.metadata.deletionTimestamp) {
    throw statusErrors.forbidden(rt, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

/**
 * Stores a new object; a create beyond the object quotas is refused (403) before anything is written, dry runs included.
 * An Event is never refused: at a full Events cap the least recently written ones are deleted once it is stored.
 */
export async function persistCreate(ctx: ApiContext, rt: ResourceType, obj: KubeObject, dryRun: boolean): Promise<KubeObject> {
  const key = keyOf(rt, obj);
  const reservation = ctx.objectQuota.reserve(rt, key.namespace, key.name);
  if (dryRun) {
    reservation.release();
    return obj;
  }
  let written: Committed;
  try {
    written = await ctx.store.commit({ type: "ADDED", key, object: obj });
  } catch (err) {
    reservation.release();
    if (err instanceof AlreadyExistsError) throw statusErrors.alreadyExists(rt, obj.metadata.name ?? "");
    throw err;
  }
  reservation.committed(written.resourceVersion);
  await Promise.all(reservation.evictions.map((eviction) => evictEvent(ctx, eviction)));
  return written.object;
}

/**
 * Deletes an evicted Event unless it was written or deleted meanwhile (no longer the oldest, or gone). A failure is left
 * to the next create at the cap, which evicts again: it must not fail the create it made room for.
 */
async function evictEvent(ctx: ApiContext, eviction: Eviction): Promise<void> {
  const { text, resourceVersion } = eviction.current;
  try {
    const outcome = await deleteStored(ctx.store, eviction.key, { object: JSON.parse(text) as KubeObject, text, resourceVersion });
    eviction.settled(outcome.deleted ? Number(outcome.object.metadata.resourceVersion) : undefined);
  } catch {
    eviction.settled();
  }
}

/**
 * Stores an update of `current`. A deleting object whose last finalizer is removed is deleted.
 * Throws PreconditionFailedError when `current` is stale (callers answer 409 or retry).
 */
export async function persistUpdate(ctx: ApiContext, rt: ResourceType, current: StoredObject, next: KubeObject, dryRun: boolean): Promise<KubeObject> {
  if (isNoop(current.object, next)) return current.object;
  const finalized = next.metadata.deletionTimestamp !== undefined && (next.metadata.finalizers ?? []).length === 0;
  if (dryRun) return next;
  const written = await ctx.store.commit({
    type: finalized ? "DELETED" : "MODIFIED",
    key: keyOf(rt, current.object),
    object: next,
    expectedResourceVersion: current.resourceVersion,
    previousText: current.text,
  });
  if (finalized) ctx.collectGarbage();
  return written.object;
}
