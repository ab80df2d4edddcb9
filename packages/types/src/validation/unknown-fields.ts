import type { z } from "zod";
import { childPath } from "../admission/field-errors.js";
import { isPlainObject, schemaNode } from "./schema-walk.js";

/** Paths of input keys the schema does not declare (what Kubernetes prunes), outside free-form objects. */
export function findUnknownFields(schema: z.ZodType, value: unknown, path: string): string[] {
  const node = schemaNode(schema);
  if (node.kind === "object" && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, child]) => {
      const fieldSchema = Object.hasOwn(node.shape, key) ? node.shape[key] : undefined;
      const at = childPath(path, key);
      return fieldSchema ? findUnknownFields(fieldSchema, child, at) : [at];
    });
  }
  if (node.kind === "array" && Array.isArray(value)) {
    return value.flatMap((item, i) => findUnknownFields(node.element, item, `${path}[${i}]`));
  }
  if (node.kind === "map" && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, child]) => findUnknownFields(node.value, child, childPath(path, key)));
  }
  return [];
}
