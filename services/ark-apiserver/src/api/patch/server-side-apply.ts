import { ClassifiedError } from "@ark/types";
import { isPlainObject, type KubeObject } from "../../kube-object.js";
import { jsonEqual, timestamp } from "../write/object-meta.js";

/**
 * Server-side apply: the applied configuration is merged into the object (maps recursively, lists and
 * scalars replaced), and fields this manager applied last time but no longer lists are removed.
 * Ownership is recorded in metadata.managedFields (FieldsV1), so it survives between requests. Applying
 * a field another apply manager owns with a different value is a conflict (409) unless forced, which
 * moves the field to this manager; the same value makes the managers co-owners. Fields written by
 * update (PUT/PATCH) are not tracked, so they never conflict.
 */
type FieldSet = Record<string, unknown>;

const SERVER_METADATA = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"]);

function fieldSetOf(value: Record<string, unknown>, top = true): FieldSet {
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

export interface ApplyConflict {
  manager: string;
  /** `.spec.prompt`, as Kubernetes prints field paths. */
  field: string;
}

/** Applying would take fields other managers own. */
export class ApplyConflictError extends ClassifiedError {
  override readonly name = "ApplyConflictError";
  constructor(readonly conflicts: ApplyConflict[]) {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
    const detail =
      conflicts.length === 1
        ? `conflict with ${JSON.stringify(conflicts[0]!.manager)}: ${conflicts[0]!.field}`
        : [...byManager].map(([m, fields]) => `conflicts with ${JSON.stringify(m)}:\n${fields.map((f) => `- ${f}`).join("\n")}`).join("\n");
    super("user", "APPLY_CONFLICT", `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}: ${detail}`);
  }
}

/** Leaf paths of a field set, as key lists (without the "f:" prefixes). */
function leaves(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [fkey, child] of Object.entries(set)) {
    if (!fkey.startsWith("f:")) continue;
    const path = [...prefix, fkey.slice(2)];
    if (isPlainObject(child) && Object.keys(child).length > 0) out.push(...leaves(child, path));
    else out.push(path);
  }
  return out;
}

function hasLeaf(set: FieldSet, path: string[]): boolean {
  let node: unknown = set;
  for (const key of path) {
    if (!isPlainObject(node)) return false;
    node = node[`f:${key}`];
  }
  return isPlainObject(node) && Object.keys(node).length === 0;
}

function withoutLeaf(set: FieldSet, path: string[]): FieldSet {
  const [head, ...rest] = path;
  const fkey = `f:${head}`;
  const result: FieldSet = { ...set };
  if (rest.length === 0) delete result[fkey];
  else if (isPlainObject(set[fkey])) {
    const child = withoutLeaf(set[fkey], rest);
    if (Object.keys(child).length === 0) delete result[fkey];
    else result[fkey] = child;
  }
  return result;
}

function valueAt(obj: unknown, path: string[]): unknown {
  let node = obj;
  for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

/** The object after `manager` applies `applied` to `current`; throws ApplyConflictError unless `force`. */
export function serverSideApply(current: KubeObject, applied: KubeObject, manager: string, apiVersion: string, force = false): KubeObject {
  let entries = (Array.isArray(current.metadata.managedFields) ? current.metadata.managedFields : []) as ManagedFieldsEntry[];
  const nextSet = fieldSetOf(applied);
  const conflicts: (ApplyConflict & { entry: ManagedFieldsEntry; path: string[] })[] = [];
  for (const path of leaves(nextSet)) {
    if (jsonEqual(valueAt(current, path), valueAt(applied, path))) continue;
    for (const entry of entries) {
      if (entry.manager === manager || entry.operation !== "Apply" || !entry.fieldsV1 || !hasLeaf(entry.fieldsV1, path)) continue;
      conflicts.push({ manager: entry.manager ?? "", field: `.${path.join(".")}`, entry, path });
    }
  }
  if (conflicts.length > 0 && !force) throw new ApplyConflictError(conflicts.map(({ manager: m, field }) => ({ manager: m, field })));
  if (conflicts.length > 0) {
    // Forced: the fields move to this manager.
    entries = entries
      .map((e) => {
        const taken = conflicts.filter((c) => c.entry === e);
        if (taken.length === 0) return e;
        const fieldsV1 = taken.reduce((set, c) => withoutLeaf(set, c.path), e.fieldsV1 ?? {});
        return { ...e, fieldsV1 };
      })
      .filter((e) => e.operation !== "Apply" || Object.keys(e.fieldsV1 ?? {}).length > 0);
  }
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply");
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
