import { isPlainObject } from "../kube-object.js";

type Schema = Record<string, unknown>;

/**
 * Removes fields the structural schema does not declare, in place, and returns their paths.
 * Objects without `properties`/`additionalProperties` and `x-kubernetes-preserve-unknown-fields` keep everything.
 */
export function pruneUnknownFields(value: unknown, schema: Schema, path = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"] === true) return [];
  const unknown: string[] = [];
  if (Array.isArray(value) && isPlainObject(schema.items)) {
    value.forEach((item, i) => unknown.push(...pruneUnknownFields(item, schema.items as Schema, `${path}[${i}]`)));
  } else if (isPlainObject(value)) {
    const properties = isPlainObject(schema.properties) ? (schema.properties as Record<string, Schema>) : undefined;
    const additional = isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as Schema) : undefined;
    if (!properties && !additional) return [];
    for (const key of Object.keys(value)) {
      const child = path ? `${path}.${key}` : key;
      const childSchema = properties?.[key] ?? additional;
      if (!childSchema) {
        unknown.push(child);
        delete value[key];
      } else unknown.push(...pruneUnknownFields(value[key], childSchema, child));
    }
  }
  return unknown;
}
