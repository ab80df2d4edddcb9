import type { FieldError, KindDefinition } from "./kinds/definition.js";
import { checkMetadata } from "./validation/metadata.js";
import type { FieldValidation } from "./validation/part.js";
import { validatePart } from "./validation/part.js";
import { resolveEnvelope } from "./validation/envelope.js";
import { isPlainObject } from "./validation/schema-walk.js";

export type { FieldValidation } from "./validation/part.js";

export interface ValidateOptions {
  /** As Kubernetes' fieldValidation query parameter; unset behaves like the API server default, Warn. */
  fieldValidation?: FieldValidation;
  operation?: "create" | "update";
}

/** An ARK object after validation: spec and status defaulted, metadata untouched. */
export interface ArkObject {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: unknown;
  status?: unknown;
}

export type ValidationResult = { ok: true; object: ArkObject; warnings: string[]; definition: KindDefinition } | { ok: false; errors: FieldError[]; warnings: string[] };

export type SpecValidationResult<T> = { ok: true; spec: T; warnings: string[] } | { ok: false; errors: FieldError[]; warnings: string[] };

const TOP_LEVEL_FIELDS = new Set(["apiVersion", "kind", "metadata", "spec", "status"]);

/**
 * Validates a whole ARK object as the API server admits it: envelope, metadata, schema (with defaults),
 * unknown fields per fieldValidation, then the kind's admission rules. Never throws.
 */
export function validateArkResource(obj: unknown, opts: ValidateOptions = {}): ValidationResult {
  const fieldValidation = opts.fieldValidation ?? "Warn";
  if (!isPlainObject(obj)) return { ok: false, errors: [{ field: "", type: "Invalid value", value: obj, detail: "must be a JSON object" }], warnings: [] };
  const envelope = resolveEnvelope(obj.apiVersion, obj.kind);
  if (!envelope.definition) return { ok: false, errors: envelope.errors, warnings: [] };
  const definition = envelope.definition;

  const errors = checkMetadata(obj.metadata);
  const warnings: string[] = [];
  for (const key of Object.keys(obj).filter((k) => !TOP_LEVEL_FIELDS.has(k))) {
    if (fieldValidation === "Strict") errors.push({ field: key, type: "Field not declared in schema", detail: "" });
    else if (fieldValidation === "Warn") warnings.push(`unknown field "${key}"`);
  }
  const spec = validatePart(definition.spec, obj.spec ?? {}, "spec", fieldValidation);
  const status = obj.status === undefined ? undefined : validatePart(definition.status, obj.status, "status", fieldValidation);
  errors.push(...spec.errors, ...(status?.errors ?? []));
  warnings.push(...spec.warnings, ...(status?.warnings ?? []));

  const metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
  if (spec.value !== undefined && !isBeingDeletedUpdate(metadata, opts)) {
    errors.push(...definition.admit({ metadata: nameAndNamespace(metadata), spec: spec.value }));
  }
  if (errors.length > 0) return { ok: false, errors, warnings };
  const object: ArkObject = { apiVersion: obj.apiVersion as string, kind: obj.kind as string, metadata, spec: spec.value };
  if (status) object.status = status.value;
  return { ok: true, object, warnings, definition };
}

/** Schema + admission for a spec alone (e.g. a REST body), with `metadata` for name-based rules. */
export function validateSpec<D extends KindDefinition>(
  definition: D,
  spec: unknown,
  opts: { fieldValidation?: FieldValidation; metadata?: { name?: string; namespace?: string } } = {},
): SpecValidationResult<ReturnType<D["spec"]["parse"]>> {
  const part = validatePart(definition.spec, spec ?? {}, "spec", opts.fieldValidation ?? "Warn");
  const errors = [...part.errors];
  if (part.value !== undefined) errors.push(...definition.admit({ metadata: opts.metadata ?? {}, spec: part.value }));
  if (errors.length > 0 || part.value === undefined) return { ok: false, errors, warnings: part.warnings };
  return { ok: true, spec: part.value as ReturnType<D["spec"]["parse"]>, warnings: part.warnings };
}

/** Schema validation of a status written through the /status subresource. */
export function validateStatus<D extends KindDefinition>(
  definition: D,
  status: unknown,
  opts: { fieldValidation?: FieldValidation } = {},
): { ok: true; status: ReturnType<D["status"]["parse"]>; warnings: string[] } | { ok: false; errors: FieldError[]; warnings: string[] } {
  const part = validatePart(definition.status, status ?? {}, "status", opts.fieldValidation ?? "Warn");
  if (part.errors.length > 0 || part.value === undefined) return { ok: false, errors: part.errors, warnings: part.warnings };
  return { ok: true, status: part.value as ReturnType<D["status"]["parse"]>, warnings: part.warnings };
}

// Finalizer removal on a deleting object must always pass, whatever the rules say now (upstream skips Query then too).
function isBeingDeletedUpdate(metadata: Record<string, unknown>, opts: ValidateOptions): boolean {
  return opts.operation === "update" && metadata.deletionTimestamp !== undefined && metadata.deletionTimestamp !== null;
}

function nameAndNamespace(metadata: Record<string, unknown>): { name?: string; namespace?: string } {
  const result: { name?: string; namespace?: string } = {};
  if (typeof metadata.name === "string") result.name = metadata.name;
  if (typeof metadata.namespace === "string") result.namespace = metadata.namespace;
  return result;
}
