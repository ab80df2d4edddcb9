import type { FieldError } from "../kinds/definition.js";
import type { Header } from "../shared/header.js";
import { duplicate, invalid, isSet, required } from "./field-errors.js";

/** Each header: value XOR valueFrom.secretKeyRef; names unique (case-insensitive, as HTTP). */
export function checkHeaders(headers: readonly Header[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (headers ?? []).forEach((h, i) => {
    const at = `${path}[${i}]`;
    const lower = h.name.toLowerCase();
    if (seen.has(lower)) errors.push(duplicate(`${at}.name`, h.name, `duplicate header name: ${h.name}`));
    seen.add(lower);
    const { value, valueFrom } = h.value;
    const secret = valueFrom?.secretKeyRef;
    if (isSet(value) && valueFrom) {
      errors.push(invalid(`${at}.value`, undefined, `header ${h.name}: cannot specify both value and valueFrom`));
    } else if (!isSet(value) && !secret) {
      errors.push(required(`${at}.value`, `header ${h.name}: header value must specify either value or valueFrom.secretKeyRef`));
    } else if (secret) {
      if (!isSet(secret.name)) errors.push(required(`${at}.value.valueFrom.secretKeyRef.name`, "secret name is required"));
      if (!isSet(secret.key)) errors.push(required(`${at}.value.valueFrom.secretKeyRef.key`, "secret key is required"));
    }
  });
  return errors;
}
