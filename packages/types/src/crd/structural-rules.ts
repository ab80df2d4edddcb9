import { compileOpenAPIValidator } from "./ajv-openapi.js";
import { isKubernetesFormat } from "./formats.js";
import { re2Incompatibility } from "./re2.js";
import type { StructuralSchema } from "./structural-schema-types.js";

const PRESERVE = "x-kubernetes-preserve-unknown-fields";
const types = new Set(["object", "array", "string", "integer", "number", "boolean"]);
const forbidden = ["$ref", "$schema", "$defs", "definitions", "id", "anyOf", "oneOf", "allOf", "not", "const", "patternProperties", "dependencies", "additionalItems"];
const typeOfValue: Record<string, (v: unknown) => boolean> = {
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === "string",
  integer: Number.isInteger,
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
};

/** The ways a CRD's openAPIV3Schema breaks Kubernetes' structural-schema rules; empty when it keeps them all. */
export function crdSchemaViolations(openAPIV3Schema: StructuralSchema): string[] {
  const problems: string[] = [];
  const metadata = openAPIV3Schema.properties?.metadata;
  if (openAPIV3Schema.type !== "object") problems.push("<root>: must be type object");
  if (metadata !== undefined && JSON.stringify(metadata) !== JSON.stringify({ type: "object" })) {
    problems.push("metadata: must be exactly {type: object}");
  }
  walk(openAPIV3Schema, "", problems);
  return problems;
}

function walk(node: StructuralSchema, path: string, problems: string[]): void {
  const at = path || "<root>";
  const raw = node as Record<string, unknown>;
  const report = (message: string): void => void problems.push(`${at}: ${message}`);
  for (const key of forbidden) if (key in raw) report(`${key} is not allowed`);
  if (PRESERVE in raw && raw[PRESERVE] !== true) report(`${PRESERVE} must be true or absent`);
  if (node.type === undefined && node[PRESERVE] !== true && node["x-kubernetes-int-or-string"] !== true) report("has no type");
  if (node.type !== undefined && !types.has(node.type)) report(`unknown type ${JSON.stringify(node.type)}`);
  if (node.nullable !== undefined && node.type === undefined) report("nullable without type");
  if (raw.uniqueItems === true) report("uniqueItems: true is not allowed");
  if (node.properties !== undefined && node.additionalProperties !== undefined) report("properties and additionalProperties together");
  if (raw.additionalProperties === false || raw.additionalProperties === true) report("additionalProperties must be a schema");
  if ((node.properties !== undefined || node.additionalProperties !== undefined) && node.type !== "object") report("properties on a non-object");
  if (node.type === "array" && (typeof node.items !== "object" || Array.isArray(node.items))) report("array without a single items schema");
  for (const key of ["exclusiveMinimum", "exclusiveMaximum"] as const) if (key in raw && typeof raw[key] !== "boolean") report(`${key} must be a boolean`);
  if (node.format !== undefined && !isKubernetesFormat(node.type, node.format)) report(`format ${node.format} is unknown to Kubernetes`);
  if (node.pattern !== undefined) {
    const problem = re2Incompatibility(node.pattern);
    if (problem !== undefined) report(`pattern uses ${problem}`);
  }
  const isValueOfType = node.type === undefined ? undefined : typeOfValue[node.type];
  for (const value of node.enum ?? []) {
    if (isValueOfType !== undefined && !isValueOfType(value) && !(value === null && node.nullable === true)) report(`enum value ${JSON.stringify(value)} is not a ${node.type}`);
  }
  for (const name of node.required ?? []) {
    if (node.properties?.[name] !== undefined && "default" in node.properties[name]) report(`${name} is required and has a default`);
  }
  if ("default" in node) {
    const errors = compileOpenAPIValidator(node, { applyDefaults: true })(structuredClone(node.default));
    if (errors.length > 0) report(`default ${JSON.stringify(node.default)} is invalid: ${errors.join("; ")}`);
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, path === "" ? name : `${path}.${name}`, problems);
  if (node.additionalProperties !== undefined && typeof node.additionalProperties === "object") walk(node.additionalProperties, `${path}.*`, problems);
  if (node.items !== undefined && typeof node.items === "object" && !Array.isArray(node.items)) walk(node.items, `${path}[]`, problems);
}
