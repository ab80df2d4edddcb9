import type { FieldError } from "../kinds/definition.js";
import { invalid, required } from "../admission/field-errors.js";
import { isPlainObject } from "./schema-walk.js";

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN}$`);
const LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end " +
  `with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`;
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an " +
  `alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`;

export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && SUBDOMAIN_RE.test(name);
}

/** Kubernetes' ObjectMeta checks for a namespaced object: name (or generateName) and namespace formats. */
export function checkMetadata(metadata: unknown): FieldError[] {
  if (metadata === undefined) return [required("metadata.name", "name or generateName is required")];
  if (!isPlainObject(metadata)) return [invalid("metadata", metadata, "must be an object")];
  const errors: FieldError[] = [];
  const { name, generateName, namespace } = metadata;
  if (name === undefined || name === "") {
    if (typeof generateName !== "string" || generateName === "") errors.push(required("metadata.name", "name or generateName is required"));
  } else if (typeof name !== "string") {
    errors.push(invalid("metadata.name", name, "must be a string"));
  } else if (name.length > 253) {
    errors.push(invalid("metadata.name", name, "must be no more than 253 characters"));
  } else if (!SUBDOMAIN_RE.test(name)) {
    errors.push(invalid("metadata.name", name, SUBDOMAIN_MESSAGE));
  }
  if (namespace !== undefined && namespace !== "") {
    if (typeof namespace !== "string" || namespace.length > 63 || !LABEL_RE.test(namespace)) {
      errors.push(invalid("metadata.namespace", namespace, LABEL_MESSAGE));
    }
  }
  return errors;
}
