import { isDns1123Subdomain, type FieldError } from "@ark/types";
import type { KubeObject } from "../kube-object.js";
import type { ResourceType } from "../resource-type.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The few structural checks Kubernetes makes on the built-in kinds ARK stores. */
export function checkBuiltinObject(rt: ResourceType, obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const name = obj.metadata.name;
  if (!name) errors.push({ field: "metadata.name", type: "Required value", detail: "name or generateName is required" });
  else if (rt.kind === "Namespace" ? !(name.length <= 63 && DNS1123_LABEL.test(name)) : !isDns1123Subdomain(name)) {
    errors.push({
      field: "metadata.name",
      type: "Invalid value",
      value: name,
      detail:
        rt.kind === "Namespace" ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'" : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'",
    });
  }
  if (rt.kind === "Secret" || rt.kind === "ConfigMap") {
    for (const field of ["data", "binaryData"] as const) {
      const map = obj[field];
      if (map === undefined || map === null) continue;
      if (typeof map !== "object" || Array.isArray(map)) {
        errors.push({ field, type: "Invalid value", value: map, detail: "must be a map of strings" });
        continue;
      }
      for (const [key, value] of Object.entries(map)) {
        if (typeof value !== "string") errors.push({ field: `${field}[${key}]`, type: "Invalid value", value, detail: "must be a string" });
        else if ((rt.kind === "Secret" || field === "binaryData") && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
          errors.push({ field: `${field}[${key}]`, type: "Invalid value", value: "<redacted>", detail: "must be base64-encoded" });
        }
      }
    }
  }
  return errors;
}
