import { isPlainObject, type KubeObject } from "../../kube-object.js";
import { timestamp } from "../write/object-meta.js";

/**
 * Server-side apply for one field manager per field: the applied configuration is merged into the
 * object (maps recursively, lists and scalars replaced), and fields this manager applied last time
 * but no longer lists are removed. Ownership is recorded in metadata.managedFields (FieldsV1), so
 * it survives between requests. Conflicts between managers are not detected.
 */
type FieldSet = Record<string, unknown>;

const SERVER_METADATA = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"]);

export function fieldSetOf(value: Record<string, unknown>, top = true): FieldSet {
  const set: FieldSet = {};
  for (const [key, child] of Object.entries(value)) {
    if (top && (key === "apiVersion" || key === "kind")) continue;
    if (top && key === "metadata" && isPlainObject(child)) {
      const meta = Object.fromEntries(Object.entries(child).filter(([k]) => !SERVER_METADATA.has(k)));
      if (Object.keys(meta).length > 0) set["f:metadata"] = fieldSetOf(meta, false);
      continue;
    }
    set[`f:${key}`] = isPlainObject(child) && Object.keys(child).length > 0 ? fieldSetOf(child, false) : {};
  }
  return set;
}

function removeDropped(target: Record<string, unknown>, previous: FieldSet, next: FieldSet): void {
  for (const [fkey, prevChild] of Object.entries(previous)) {
    if (!fkey.startsWith("f:")) continue;
    const key = fkey.slice(2);
    const nextChild = next[fkey];
    if (nextChild === undefined) delete target[key];
    else if (isPlainObject(prevChild) && isPlainObject(nextChild) && isPlainObject(target[key])) {
      removeDropped(target[key] as Record<string, unknown>, prevChild, nextChild);
    }
  }
}

function mergeApplied(target: unknown, applied: unknown): unknown {
  if (!isPlainObject(applied) || !isPlainObject(target)) return structuredClone(applied);
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(applied)) {
    if (value === null) delete result[key];
    else result[key] = mergeApplied(result[key], value);
  }
  return result;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsV1?: FieldSet;
  [key: string]: unknown;
}

/** The object after `manager` applies `applied` to `current`. */
export function serverSideApply(current: KubeObject, applied: KubeObject, manager: string, apiVersion: string): KubeObject {
  const entries = (Array.isArray(current.metadata.managedFields) ? current.metadata.managedFields : []) as ManagedFieldsEntry[];
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply");
  const nextSet = fieldSetOf(applied);
  const base = structuredClone(current) as unknown as Record<string, unknown>;
  if (mine?.fieldsV1) removeDropped(base, mine.fieldsV1, nextSet);
  const merged = mergeApplied(base, applied) as KubeObject;
  const entry: ManagedFieldsEntry = { manager, operation: "Apply", apiVersion, time: timestamp(), fieldsType: "FieldsV1", fieldsV1: nextSet };
  const managedFields = [...entries.filter((e) => e !== mine), entry];
  return { ...merged, metadata: { ...merged.metadata, managedFields } };
}

/** managedFields for an object created by apply. */
export function appliedManagedFields(applied: KubeObject, manager: string, apiVersion: string): unknown[] {
  return [{ manager, operation: "Apply", apiVersion, time: timestamp(), fieldsType: "FieldsV1", fieldsV1: fieldSetOf(applied) }];
}
