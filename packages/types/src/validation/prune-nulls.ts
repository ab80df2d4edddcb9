import type { z } from "zod";
import { isPlainObject, schemaNode } from "./schema-walk.js";

/** Drops null-valued fields, as Kubernetes prunes nulls of non-nullable fields before validation and defaulting. */
export function pruneNulls(schema: z.ZodType, value: unknown): unknown {
  const node = schemaNode(schema);
  if (node.kind === "object" && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === null) continue;
      const fieldSchema = Object.hasOwn(node.shape, key) ? node.shape[key] : undefined;
      out[key] = fieldSchema ? pruneNulls(fieldSchema, child) : child;
    }
    return out;
  }
  if (node.kind === "map" && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = pruneNulls(node.value, child);
    return out;
  }
  if (node.kind === "array" && Array.isArray(value)) return value.map((item) => pruneNulls(node.element, item));
  return value;
}
