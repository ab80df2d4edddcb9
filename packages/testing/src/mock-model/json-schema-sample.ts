type Schema = Record<string, unknown>;

/** A small value that satisfies common JSON Schemas, so an unscripted `json_schema` request still parses. */
export function sampleFromJsonSchema(schema: unknown, text: string, depth = 0): unknown {
  if (!schema || typeof schema !== "object" || depth > 8) return null;
  const s = schema as Schema;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if ("default" in s) return s.default;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const options = s[key];
    if (Array.isArray(options) && options.length) return sampleFromJsonSchema(options[0], text, depth + 1);
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== "null") ?? s.type[0]) : s.type;
  switch (type) {
    case "object": {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, propertySchema] of Object.entries(properties)) {
        out[name] = sampleFromJsonSchema(propertySchema, text, depth + 1);
      }
      return out;
    }
    case "array": {
      const minItems = typeof s.minItems === "number" ? s.minItems : 0;
      return Array.from({ length: minItems }, () => sampleFromJsonSchema(s.items, text, depth + 1));
    }
    case "string":
      return text;
    case "number":
    case "integer":
      return typeof s.minimum === "number" ? s.minimum : 0;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return s.properties ? sampleFromJsonSchema({ ...s, type: "object" }, text, depth) : null;
  }
}
