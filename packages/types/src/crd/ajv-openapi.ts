import { Ajv, type ErrorObject } from "ajv";
import type { StructuralSchema } from "./structural-schema-types.js";

// Dev-time only (ajv is a devDependency): checks CRD schemas in tests and in the generator.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const ajvWithDefaults = new Ajv({ strict: false, allErrors: true, validateFormats: false, useDefaults: true });

export type OpenAPIValidator = (value: unknown) => string[];

/** Validates values against a structural schema the way ajv reads draft-07 (boolean exclusive bounds translated). */
export function compileOpenAPIValidator(schema: StructuralSchema, options: { applyDefaults?: boolean } = {}): OpenAPIValidator {
  const validate = (options.applyDefaults === true ? ajvWithDefaults : ajv).compile(toDraft07(schema) as object);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(formatAjvError));
}

function formatAjvError(error: ErrorObject): string {
  return `${error.instancePath || "/"} ${error.message ?? error.keyword}`;
}

function toDraft07(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDraft07);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "default" || key === "enum") out[key] = value;
    else if (key === "properties" || key === "x-kubernetes-validations") out[key] = mapValues(value, toDraft07);
    else out[key] = toDraft07(value);
  }
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (out[flag] === true) {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) delete out[flag];
  }
  return out;
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fn(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
}
