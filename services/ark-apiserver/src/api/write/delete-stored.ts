import type { KubeObject, ObjectKey, ObjectMeta } from "../../kube-object.js";
import type { ObjectStore, StoredObject } from "../../store/object-store.js";
import { timestamp } from "./object-meta.js";

/** The finalizer of an owner deleted with propagationPolicy=Foreground, removed once its blocking dependents are gone. */
export const FOREGROUND_FINALIZER = "foregroundDeletion";

export type DeletionOutcome = { deleted: true; object: KubeObject } | { deleted: false; object: KubeObject };

function isNamespace(key: ObjectKey): boolean {
  return key.group === "" && key.resource === "namespaces";
}

/**
 * Deletes a stored object as Kubernetes does: with finalizers (and always for a Namespace, which
 * first empties) it only gets a deletionTimestamp; otherwise it is removed. `foreground` adds the
 * foregroundDeletion finalizer (the garbage collector removes it once dependents are gone). Throws
 * PreconditionFailedError if it changed since it was read.
 */
export async function deleteStored(store: ObjectStore, key: ObjectKey, current: StoredObject, dryRun = false, { foreground = false } = {}): Promise<DeletionOutcome> {
  const obj = current.object;
  let finalizers = obj.metadata.finalizers ?? [];
  if (foreground && !isNamespace(key) && obj.metadata.deletionTimestamp === undefined && !finalizers.includes(FOREGROUND_FINALIZER)) {
    finalizers = [...finalizers, FOREGROUND_FINALIZER];
  }
  if (finalizers.length > 0 || isNamespace(key)) {
    if (obj.metadata.deletionTimestamp !== undefined) return { deleted: false, object: obj };
    const marked: KubeObject = {
      ...obj,
      metadata: { ...obj.metadata, ...(finalizers.length > 0 ? { finalizers } : {}), deletionTimestamp: timestamp(), deletionGracePeriodSeconds: 0 },
      ...(isNamespace(key) ? { status: { ...(obj.status as object | undefined), phase: "Terminating" } } : {}),
    };
    if (dryRun) return { deleted: false, object: marked };
    const written = await store.commit({ type: "MODIFIED", key, object: marked, expectedResourceVersion: current.resourceVersion, previousText: current.text });
    return { deleted: false, object: written.object };
  }
  if (dryRun) return { deleted: true, object: obj };
  const written = await store.commit({ type: "DELETED", key, object: obj, expectedResourceVersion: current.resourceVersion, previousText: current.text });
  return { deleted: true, object: written.object };
}

/** propagationPolicy=Orphan: dependents lose their owner reference instead of being collected. */
export async function orphanDependents(store: ObjectStore, ownerUid: string): Promise<void> {
  for (const dependent of await store.dependentsOf(ownerUid)) {
    const ownerReferences = (dependent.object.metadata.ownerReferences ?? []).filter((o) => o.uid !== ownerUid);
    const metadata: ObjectMeta = { ...dependent.object.metadata, ownerReferences };
    if (ownerReferences.length === 0) delete metadata.ownerReferences;
    await store.commit({
      type: "MODIFIED",
      key: dependent.key,
      object: { ...dependent.object, metadata },
      expectedResourceVersion: dependent.resourceVersion,
      previousText: dependent.text,
    });
  }
}
