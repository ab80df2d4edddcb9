import { fieldErrorsToStatusCauses, findKindByPlural, formatFieldError, GROUP, validateArkResource, validateStatus, type FieldError, type FieldValidation } from "@ark/types";
import type { KubeObject } from "../kube-object.js";
import type { ResourceType } from "../resource-type.js";
import { statusErrors } from "../api/status.js";
import { withBuiltinDefaults } from "./builtin-defaults.js";
import { checkBuiltinObject } from "./builtin-kinds.js";
import { checkLabels } from "./labels.js";
import { checkRbacObject } from "./rbac-kinds.js";
import { checkOwnerReferences } from "./owner-references.js";
import { pruneUnknownFields } from "./unknown-fields.js";

export type { FieldValidation } from "@ark/types";

export interface Admitted {
  object: KubeObject;
  /** For `Warning: 299 - "..."` headers. */
  warnings: string[];
}

export function fieldValidationFrom(query: URLSearchParams): FieldValidation {
  const value = query.get("fieldValidation");
  if (value === null || value === "") return "Warn";
  if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
  throw statusErrors.badRequest(`fieldValidation parameter unsupported: ${value}`);
}

/** Schema, defaults, unknown fields and admission rules for an object about to be stored; throws a Status. */
export function admit(rt: ResourceType, obj: KubeObject, opts: { fieldValidation: FieldValidation; operation: "create" | "update" }): Admitted {
  // Owner uids go into SQL text and the garbage collector: a number there was a 500.
  const labelErrors = [...checkLabels(obj.metadata.labels), ...checkOwnerReferences(obj.metadata.ownerReferences)];
  if (rt.group === GROUP) {
    const result = validateArkResource(obj, opts);
    if (!result.ok || labelErrors.length > 0) throw validationFailure(rt, obj, [...(result.ok ? [] : result.errors), ...labelErrors]);
    return { object: { ...result.object, metadata: obj.metadata } as KubeObject, warnings: result.warnings };
  }
  const object = withBuiltinDefaults(rt, structuredClone(obj));
  const unknown = pruneUnknownFields(object, rt.openAPISchema);
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  for (const path of unknown) {
    if (opts.fieldValidation === "Strict") errors.push({ field: path, type: "Field not declared in schema", detail: "" });
    else if (opts.fieldValidation === "Warn") warnings.push(`unknown field "${path}"`);
  }
  errors.push(...checkBuiltinObject(rt, object), ...checkRbacObject(rt, object), ...labelErrors);
  if (errors.length > 0) throw validationFailure(rt, obj, errors);
  return { object, warnings };
}

/**
 * An update through /status of a stored ARK object: only the status changed (metadata and spec come from
 * the stored object, admitted when it was written), so only the status is validated — as Kubernetes'
 * ratcheting lets unchanged fields pass.
 */
export function admitStatusUpdate(rt: ResourceType, obj: KubeObject, opts: { fieldValidation: FieldValidation }): Admitted {
  const definition = rt.group === GROUP ? findKindByPlural(rt.group, rt.version, rt.plural) : undefined;
  if (!definition) return admit(rt, obj, { ...opts, operation: "update" });
  if (obj.status === undefined) return { object: obj, warnings: [] };
  const result = validateStatus(definition, obj.status, opts);
  if (!result.ok) throw validationFailure(rt, obj, result.errors);
  return { object: { ...obj, status: result.status }, warnings: result.warnings };
}

/** 400 "strict decoding error" when only unknown fields are wrong (as Kubernetes), else 422 Invalid with causes. */
function validationFailure(rt: ResourceType, obj: KubeObject, errors: FieldError[]): Error {
  const name = obj.metadata?.name ?? obj.metadata?.generateName ?? "";
  if (errors.every((e) => e.type === "Field not declared in schema")) {
    const fields = errors.map((e) => `unknown field "${e.field}"`).join(", ");
    return statusErrors.badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${fields}`);
  }
  return statusErrors.invalid(rt, name, errors.map(formatFieldError), fieldErrorsToStatusCauses(errors));
}
