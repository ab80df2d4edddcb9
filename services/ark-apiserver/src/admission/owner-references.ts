import type { FieldError } from "@ark/types";

const REQUIRED = ["apiVersion", "kind", "name", "uid"] as const;

/** Kubernetes' ownerReferences checks (every kind): a list of objects with apiVersion, kind, name and uid as strings. */
export function checkOwnerReferences(references: unknown): FieldError[] {
  if (references === undefined || references === null) return [];
  if (!Array.isArray(references)) return [{ field: "metadata.ownerReferences", type: "Invalid value", detail: "must be a list of owner references" }];
  const errors: FieldError[] = [];
  references.forEach((reference: unknown, index) => {
    const field = `metadata.ownerReferences[${index}]`;
    if (reference === null || typeof reference !== "object" || Array.isArray(reference)) {
      errors.push({ field, type: "Invalid value", detail: "must be an object" });
      return;
    }
    for (const key of REQUIRED) {
      const value = (reference as Record<string, unknown>)[key];
      if (typeof value !== "string" || value === "") errors.push({ field: `${field}.${key}`, type: value === undefined ? "Required value" : "Invalid value", value, detail: "must be a non-empty string" });
    }
  });
  return errors;
}
