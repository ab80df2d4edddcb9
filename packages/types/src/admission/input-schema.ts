import type { FieldError } from "../kinds/definition.js";
import { childPath, invalid } from "./field-errors.js";

const JSON_SCHEMA_TYPES = ["object", "array", "string", "number", "integer", "boolean", "null"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Upstream's Tool webhook: every `type` is one of the 7 JSON types, through object properties and array items. */
export function checkInputSchema(schema: unknown, path: string, context = "invalid inputSchema"): FieldError[] {
  if (schema === undefined) return [];
  if (!isObject(schema)) return [invalid(path, schema, `${context}: schema must be an object`)];
  const errors = checkType(schema.type, childPath(path, "type"), context);
  if (isObject(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      const at = childPath(childPath(path, "properties"), name);
      errors.push(...checkInputSchema(property, at, `${context}: invalid property '${name}' schema`));
    }
  }
  const items = schema.items;
  if (Array.isArray(items)) {
    items.forEach((item, i) => errors.push(...checkInputSchema(item, `${path}.items[${i}]`, `${context}: invalid items schema`)));
  } else if (items !== undefined && typeof items !== "boolean") {
    errors.push(...checkInputSchema(items, `${path}.items`, `${context}: invalid items schema`));
  }
  return errors;
}

function checkType(type: unknown, path: string, context: string): FieldError[] {
  if (type === undefined) return [];
  const types = Array.isArray(type) ? type : [type];
  const bad = types.find((t) => typeof t !== "string" || !(JSON_SCHEMA_TYPES as readonly string[]).includes(t));
  if (bad === undefined) return [];
  return [invalid(path, type, `${context}: invalid schema type '${String(bad)}': must be one of ${JSON_SCHEMA_TYPES.join(", ")}`)];
}
