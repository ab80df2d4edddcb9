import type { FieldError } from "../kinds/definition.js";
import type { Header } from "../shared/header.js";
import { duplicate, invalid, isSet, required } from "./field-errors.js";

const HEADER_SOURCES = ["secretKeyRef", "configMapKeyRef", "queryParameterRef"] as const;

/** Each header: value XOR exactly one valueFrom source; names unique (case-insensitive, as HTTP). */
export function checkHeaders(headers: readonly Header[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (headers ?? []).forEach((h, i) => {
    const at = `${path}[${i}]`;
    const lower = h.name.toLowerCase();
    if (seen.has(lower)) errors.push(duplicate(`${at}.name`, h.name, `duplicate header name: ${h.name}`));
    seen.add(lower);
    const { value, valueFrom } = h.value;
    const sources = HEADER_SOURCES.filter((s) => valueFrom?.[s] !== undefined);
    if (isSet(value) && valueFrom) {
      errors.push(invalid(`${at}.value`, undefined, `header ${h.name}: cannot specify both value and valueFrom`));
    } else if (!isSet(value) && sources.length === 0) {
      errors.push(required(`${at}.value`, `header ${h.name}: header value must specify either value or valueFrom.secretKeyRef (or valueFrom.configMapKeyRef, valueFrom.queryParameterRef)`));
    } else if (sources.length > 1) {
      errors.push(invalid(`${at}.value.valueFrom`, undefined, `header ${h.name}: valueFrom must specify exactly one of ${HEADER_SOURCES.join(", ")}`));
    } else {
      for (const source of ["secretKeyRef", "configMapKeyRef"] as const) {
        const ref = valueFrom?.[source];
        if (!ref) continue;
        const kind = source === "secretKeyRef" ? "secret" : "configmap";
        if (!isSet(ref.name)) errors.push(required(`${at}.value.valueFrom.${source}.name`, `${kind} name is required`));
        if (!isSet(ref.key)) errors.push(required(`${at}.value.valueFrom.${source}.key`, `${kind} key is required`));
      }
    }
  });
  return errors;
}
