import { z } from "zod";
import { kubernetesFormat } from "./formats.js";
import { inlineRefs, type RawSchema } from "./inline-refs.js";
import { re2Incompatibility } from "./re2.js";
import { StructuralSchemaError, type StructuralSchema } from "./structural-schema-types.js";

const PRESERVE = "x-kubernetes-preserve-unknown-fields";
const INT32 = { minimum: -2147483648, maximum: 2147483647 };
const scalarTypes = new Set(["string", "integer", "number", "boolean"]);
const copiedNumbers = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "multipleOf"] as const;
const copiedExtensions = ["x-kubernetes-int-or-string", "x-kubernetes-embedded-resource", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations"] as const;
// Annotations with no meaning to Kubernetes; dropping them loses no validation.
const ignoredKeywords = new Set(["$schema", "$id", "id", "definitions", "$defs", "$comment", "examples", "example", "readOnly", "writeOnly", "deprecated", "contentEncoding", "contentMediaType"]);
const handledKeywords = new Set([
  "type",
  "description",
  "title",
  "format",
  "nullable",
  "enum",
  "const",
  "default",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "items",
  "properties",
  "additionalProperties",
  "required",
  PRESERVE,
  ...copiedNumbers,
  ...copiedExtensions,
]);
const forbiddenKeywords: Record<string, string> = {
  anyOf: "a union (z.union / z.discriminatedUnion / .or) has no structural form; use one object with optional fields",
  oneOf: "a union (z.union / z.discriminatedUnion / .or) has no structural form; use one object with optional fields",
  not: "`not` has no structural form",
  prefixItems: "a tuple has no structural form; use z.array",
  patternProperties: "patternProperties is not allowed in a CRD; use z.record(z.string(), X)",
  propertyNames: "constrained record keys are not allowed in a CRD; use z.record(z.string(), X)",
  uniqueItems: "uniqueItems is not allowed in a CRD",
  if: "conditional schemas are not allowed in a CRD",
  dependentRequired: "dependent schemas are not allowed in a CRD",
  dependentSchemas: "dependent schemas are not allowed in a CRD",
  dependencies: "dependent schemas are not allowed in a CRD",
  additionalItems: "a tuple has no structural form; use z.array",
};

/** Converts a zod schema to the structural OpenAPI v3 schema a Kubernetes CRD version accepts. */
export function toStructuralSchema(schema: z.ZodType): StructuralSchema {
  let jsonSchema: RawSchema;
  try {
    jsonSchema = z.toJSONSchema(schema, {
      target: "openapi-3.0",
      io: "input",
      reused: "inline",
      cycles: "throw",
      unrepresentable: "throw",
    }) as RawSchema;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new StructuralSchemaError("", `zod cannot express this schema in JSON Schema without recursion or unrepresentable types: ${detail}`);
  }
  return convertNode(jsonSchema, jsonSchema, "", []);
}

/** Converts a JSON Schema (draft 2020-12 or OpenAPI 3.0 flavour, with $refs) to a structural schema. */
export function jsonSchemaToStructural(jsonSchema: RawSchema): StructuralSchema {
  return convertNode(jsonSchema, jsonSchema, "", []);
}

function convertNode(raw: RawSchema, root: RawSchema, path: string, refChain: readonly string[]): StructuralSchema {
  const { node, refChain: chain } = inlineRefs(raw, root, path, refChain);
  rejectUnsupported(node, path);
  const type = nodeType(node, path);
  const preserve = node[PRESERVE] === true || node.additionalProperties === true || isEmptySchema(node.additionalProperties);
  const out: StructuralSchema = {};

  if (typeof node.description === "string") out.description = node.description;
  if (typeof node.title === "string") out.title = node.title;
  if (type !== undefined) out.type = type;
  else if (preserve && (node.properties !== undefined || node.additionalProperties !== undefined)) out.type = "object";
  copyFormat(node, out);
  if (node.nullable === true) out.nullable = true;
  if (Array.isArray(node.enum)) out.enum = [...node.enum];
  else if ("const" in node) out.enum = [node.const];
  if ("default" in node) out.default = node.default;
  copyPattern(node, out, path);
  copyNumericBounds(node, out);
  for (const key of copiedNumbers) if (typeof node[key] === "number") out[key] = node[key];

  if (node.items !== undefined) {
    if (Array.isArray(node.items) || typeof node.items !== "object") throw new StructuralSchemaError(path, "array items must be one schema (tuples have no structural form)");
    out.items = convertNode(node.items as RawSchema, root, `${path}[]`, chain);
  } else if (out.type === "array") {
    out.items = { [PRESERVE]: true };
  }

  const properties = (node.properties ?? {}) as Record<string, RawSchema>;
  const names = Object.keys(properties).sort();
  if (names.length > 0) {
    out.properties = {};
    for (const name of names) out.properties[name] = convertNode(properties[name] as RawSchema, root, join(path, name), chain);
  }
  const additional = node.additionalProperties;
  if (additional !== undefined && additional !== false && additional !== true && !isEmptySchema(additional)) {
    if (names.length > 0) throw new StructuralSchemaError(path, "an object cannot have both declared properties and a record of extra keys");
    out.additionalProperties = convertNode(additional as RawSchema, root, `${path}.*`, chain);
  }
  copyRequired(node, out, names);

  if (preserve || (out.type === undefined && !isTyped(out))) out[PRESERVE] = true;
  for (const key of copiedExtensions) if (node[key] !== undefined) (out as Record<string, unknown>)[key] = node[key];
  return out;
}

function nodeType(node: RawSchema, path: string): StructuralSchema["type"] {
  const type = node.type;
  if (type === undefined) return undefined;
  if (type === "object" || type === "array" || (typeof type === "string" && scalarTypes.has(type))) return type as StructuralSchema["type"];
  if (Array.isArray(type)) throw new StructuralSchemaError(path, `a node has one type in a CRD, not ${JSON.stringify(type)}`);
  throw new StructuralSchemaError(path, `type ${JSON.stringify(type)} has no structural form (z.null / z.never / z.undefined?)`);
}

function rejectUnsupported(node: RawSchema, path: string): void {
  for (const key of Object.keys(node)) {
    const reason = forbiddenKeywords[key];
    if (reason !== undefined && !(key === "uniqueItems" && node[key] === false)) throw new StructuralSchemaError(path, reason);
    if (reason === undefined && !handledKeywords.has(key) && !ignoredKeywords.has(key)) {
      throw new StructuralSchemaError(path, `keyword ${JSON.stringify(key)} is not supported in a CRD schema`);
    }
  }
}

function copyFormat(node: RawSchema, out: StructuralSchema): void {
  if (typeof node.format !== "string") return;
  const format = kubernetesFormat(out.type, node.format);
  if (format !== undefined) out.format = format;
}

function copyPattern(node: RawSchema, out: StructuralSchema, path: string): void {
  if (typeof node.pattern !== "string") return;
  const problem = re2Incompatibility(node.pattern);
  if (problem === undefined) out.pattern = node.pattern;
  // A Kubernetes format already checks what zod's built-in format pattern checks.
  else if (out.format === undefined) throw new StructuralSchemaError(path, `pattern ${node.pattern} uses ${problem}, which Kubernetes (RE2) cannot evaluate`);
}

function copyNumericBounds(node: RawSchema, out: StructuralSchema): void {
  let { minimum, maximum } = node as { minimum?: unknown; maximum?: unknown };
  const { exclusiveMinimum, exclusiveMaximum } = node;
  // Draft 2020-12 carries the bound in exclusiveMinimum; OpenAPI 3.0 (and Kubernetes) a boolean beside minimum.
  if (typeof exclusiveMinimum === "number") minimum = exclusiveMinimum;
  if (typeof exclusiveMaximum === "number") maximum = exclusiveMaximum;
  // z.int() adds ±MAX_SAFE_INTEGER bounds; they say nothing a reader needs.
  if (minimum === Number.MIN_SAFE_INTEGER) minimum = undefined;
  if (maximum === Number.MAX_SAFE_INTEGER) maximum = undefined;
  const int32 = maximum === INT32.maximum && typeof minimum === "number" && minimum >= INT32.minimum;
  if (out.type === "integer" && int32 && out.format === undefined) out.format = "int32";
  if (typeof minimum === "number") {
    out.minimum = minimum;
    if (exclusiveMinimum === true || typeof exclusiveMinimum === "number") out.exclusiveMinimum = true;
  }
  if (typeof maximum === "number") {
    out.maximum = maximum;
    if (exclusiveMaximum === true || typeof exclusiveMaximum === "number") out.exclusiveMaximum = true;
  }
}

function copyRequired(node: RawSchema, out: StructuralSchema, names: string[]): void {
  if (!Array.isArray(node.required)) return;
  const declared = new Set(names);
  // A defaulted field is filled in by the API server, so it must not be required of the client.
  const required = (node.required as string[]).filter((name) => !declared.has(name) || !("default" in (out.properties?.[name] ?? {})));
  if (required.length > 0) out.required = [...new Set(required)].sort();
}

function isEmptySchema(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function isTyped(out: StructuralSchema): boolean {
  return out.type !== undefined || out["x-kubernetes-int-or-string"] === true;
}

function join(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? (path === "" ? name : `${path}.${name}`) : `${path}[${JSON.stringify(name)}]`;
}
