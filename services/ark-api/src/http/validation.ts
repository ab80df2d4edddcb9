import { ArkError } from "@ark/service-kit";
import { formatFieldErrorBody, type FieldError } from "@ark/types";

/** 422 with the field paths packages/types reports (`spec.tools[1].name`). */
export function unprocessable(errors: readonly FieldError[], what: string): ArkError {
  const fields = errors.map((e) => ({ field: e.field, message: formatFieldErrorBody(e) }));
  const summary = fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join("; ");
  return new ArkError("UNPROCESSABLE", `${what} is invalid: ${summary}`, { details: fields });
}

/** `/tools/1/name` → `tools[1].name`, the path style packages/types uses. */
export function jsonPointerToFieldPath(pointer: string): string {
  return pointer
    .split("/")
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), "");
}
