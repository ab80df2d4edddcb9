import type { FieldError } from "@ark/types";
import { isDns1123Subdomain } from "@ark/types";

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const NAME_PART_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Why `key` is not a qualified name (`[prefix/]name`), as Kubernetes words it; undefined when it is. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix === "" || !isDns1123Subdomain(prefix))) return "prefix part must be a lowercase RFC 1123 subdomain";
  if (name === "") return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!NAME_PART.test(name)) return NAME_PART_MESSAGE;
  return undefined;
}

/** Why `value` is not a label value; undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  if (value !== "" && !NAME_PART.test(value)) return VALUE_MESSAGE;
  return undefined;
}

/** Kubernetes' label checks (every kind): keys are qualified names, values at most 63 safe characters. */
export function checkLabels(labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== "object" || Array.isArray(labels)) return [{ field: "metadata.labels", type: "Invalid value", detail: "must be a map of strings" }];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) errors.push({ field: "metadata.labels", type: "Invalid value", value: key, detail: keyProblem });
    if (typeof value !== "string") errors.push({ field: `metadata.labels.${key}`, type: "Invalid value", value, detail: "must be a string" });
    else {
      const valueProblem = labelValueProblem(value);
      if (valueProblem) errors.push({ field: `metadata.labels`, type: "Invalid value", value, detail: valueProblem });
    }
  }
  return errors;
}
