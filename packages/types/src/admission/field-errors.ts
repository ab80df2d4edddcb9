import type { FieldError } from "../kinds/definition.js";

export function required(field: string, detail: string): FieldError {
  return { field, type: "Required value", detail };
}

/** `value` is printed with the error; pass undefined when it is a whole object that says nothing more than the detail. */
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return value === undefined ? { field, type: "Invalid value", detail } : { field, type: "Invalid value", detail, value };
}

export function unsupported(field: string, value: unknown, detail: string): FieldError {
  return { field, type: "Unsupported value", detail, value };
}

export function duplicate(field: string, value: unknown, detail: string): FieldError {
  return { field, type: "Duplicate value", detail, value };
}

export function forbidden(field: string, detail: string): FieldError {
  return { field, type: "Forbidden", detail };
}

export const isSet = (s: string | undefined): s is string => s !== undefined && s !== "";

/** `path.key` for identifier-like keys, `path[key]` otherwise (map keys such as `model.name`). */
export function childPath(path: string, key: string): string {
  const segment = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${key}]`;
  return path ? `${path}${segment}` : segment.replace(/^\./, "");
}
