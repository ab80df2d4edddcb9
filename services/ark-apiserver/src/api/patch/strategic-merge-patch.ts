import type { ResourceType } from "../../resource-type.js";
import { isPlainObject } from "../../kube-object.js";

/** Built-in kinds take strategic merge patches; ARK kinds, like custom resources, do not. */
export function takesStrategicMerge(rt: Pick<ResourceType, "group">): boolean {
  return rt.group === "" || rt.group.endsWith("k8s.io");
}

/**
 * Strategic merge patch for the built-in kinds ARK stores: a merge patch where lists of objects
 * with a known merge key merge by that key, `finalizers` merge as a set, and the directives kubectl
 * sends (`$patch`, `$retainKeys`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…`) are honoured.
 */
const MERGE_KEYS: Record<string, string> = {
  ownerReferences: "uid",
  ports: "port",
  conditions: "type",
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  imagePullSecrets: "name",
};
const SET_LISTS = new Set(["finalizers"]);

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  if (patch.$patch === "replace") return withoutDirectives(patch);
  if (patch.$patch === "delete") return undefined;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith("$setElementOrder/")) continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const drop = Array.isArray(value) ? value : [];
      if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((v) => !drop.includes(v));
      continue;
    }
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(key, result[key], value);
    else if (isPlainObject(value)) {
      const merged = applyStrategicMergePatch(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else result[key] = value;
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(String));
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}

function mergeList(field: string, current: unknown, patch: unknown[]): unknown[] {
  const existing = Array.isArray(current) ? current : [];
  if (SET_LISTS.has(field)) return [...existing, ...patch.filter((v) => !existing.includes(v))];
  const mergeKey = MERGE_KEYS[field];
  if (!mergeKey || !patch.every(isPlainObject)) return patch.map(withoutDirectives);
  if (patch.some((item) => item.$patch === "replace")) return patch.filter((item) => item.$patch !== "replace").map(withoutDirectives);
  const out = [...existing];
  for (const item of patch) {
    const index = out.findIndex((e) => isPlainObject(e) && e[mergeKey] === item[mergeKey]);
    if (item.$patch === "delete") {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) out[index] = applyStrategicMergePatch(out[index], item);
    else out.push(withoutDirectives(item));
  }
  return out;
}

function withoutDirectives(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith("$")));
}
