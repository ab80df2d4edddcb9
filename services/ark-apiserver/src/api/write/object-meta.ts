import { randomUUID } from "node:crypto";
import { GROUP } from "@ark/types";
import type { KubeObject, ObjectMeta } from "../../kube-object.js";
import type { ResourceType } from "../../resource-type.js";
import { apiVersionOf } from "../context.js";

const NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Kubernetes timestamps: RFC 3339, second precision. */
export function timestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function generateNameSuffix(): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX_ALPHABET[Math.floor(Math.random() * NAME_SUFFIX_ALPHABET.length)];
  return suffix;
}

/** ARK kinds track generation, as every custom resource does; the built-ins ARK stores have none. */
function tracksGeneration(rt: ResourceType): boolean {
  return rt.group === GROUP;
}

/** Server-owned metadata of a new object; the client's uid, resourceVersion, timestamps are discarded. */
export function stampNewObject(rt: ResourceType, obj: KubeObject, namespace: string | undefined): KubeObject {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _created, deletionTimestamp: _deleted, deletionGracePeriodSeconds: _grace, generation: _generation, ...metadata } = obj.metadata;
  const stamped: ObjectMeta = { ...metadata, uid: randomUUID(), creationTimestamp: timestamp() };
  if (namespace !== undefined) stamped.namespace = namespace;
  else delete stamped.namespace;
  if (tracksGeneration(rt)) stamped.generation = 1;
  const object: KubeObject = { ...obj, apiVersion: apiVersionOf(rt), kind: rt.kind, metadata: stamped };
  if (rt.statusSubresource) delete object.status;
  if (rt.kind === "Namespace") object.status = { phase: "Active" };
  return object;
}

/** Everything but metadata and status: what generation counts. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/**
 * The object an update stores: metadata the server owns comes from `current`; on the main resource
 * of a kind with /status the status is kept, on /status only the status changes.
 */
export function mergeUpdate(rt: ResourceType, current: KubeObject, incoming: KubeObject, subresource: string | undefined): KubeObject {
  if (subresource === "status") {
    return { ...current, status: incoming.status };
  }
  const m = current.metadata;
  const metadata: ObjectMeta = {
    ...incoming.metadata,
    name: m.name,
    uid: m.uid,
    creationTimestamp: m.creationTimestamp,
    ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
    ...(m.deletionTimestamp !== undefined ? { deletionTimestamp: m.deletionTimestamp, deletionGracePeriodSeconds: m.deletionGracePeriodSeconds } : {}),
  };
  if (m.deletionTimestamp === undefined) {
    delete metadata.deletionTimestamp;
    delete metadata.deletionGracePeriodSeconds;
  }
  const next: KubeObject = { ...incoming, apiVersion: apiVersionOf(rt), kind: rt.kind, metadata };
  if (rt.statusSubresource) {
    if (current.status === undefined) delete next.status;
    else next.status = current.status;
  }
  return next;
}

/** Bumps generation when anything outside metadata and status changed. */
export function withGeneration(rt: ResourceType, current: KubeObject, next: KubeObject): KubeObject {
  if (!tracksGeneration(rt)) return next;
  const generation = current.metadata.generation ?? 1;
  const changed = !jsonEqual(specPart(current), specPart(next));
  return { ...next, metadata: { ...next.metadata, generation: changed ? generation + 1 : generation } };
}

/** True when storing `next` would change nothing but the resourceVersion. */
export function isNoop(current: KubeObject, next: KubeObject): boolean {
  const { resourceVersion: _a, ...a } = current.metadata;
  const { resourceVersion: _b, ...b } = next.metadata;
  return jsonEqual({ ...current, metadata: a }, { ...next, metadata: b });
}

/**
 * Whether two values serialise to the same JSON up to member order (undefined members are absent,
 * undefined in arrays is null), without serialising them.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (!Object.hasOwn(ra, key) || ra[key] === undefined) continue;
    count++;
    if (!Object.hasOwn(rb, key) || !jsonEqual(ra[key], rb[key])) return false;
  }
  for (const key in rb) if (Object.hasOwn(rb, key) && rb[key] !== undefined) count--;
  return count === 0;
}
