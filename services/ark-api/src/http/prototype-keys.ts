import type { FieldError } from "@ark/types";
import { isRecord } from "./records.js";

const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Keys such as `constructor` or `toString`: no ARK field has these names, and schema walkers that look
 * fields up on plain objects would find Object.prototype's members instead, so they are refused up front.
 */
export function prototypeKeyErrors(value: unknown, path: string): FieldError[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => prototypeKeyErrors(item, `${path}[${i}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    return PROTOTYPE_KEYS.has(key) ? [{ field: childPath, type: "Field not declared in schema" as const, detail: "" }] : prototypeKeyErrors(child, childPath);
  });
}
