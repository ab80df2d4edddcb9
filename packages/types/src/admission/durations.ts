import type { FieldError } from "../kinds/definition.js";
import { isDuration, parseDuration } from "../shared/duration.js";
import { invalid } from "./field-errors.js";

export function checkNonNegativeDuration(value: string | undefined, path: string, name: string): FieldError[] {
  if (value === undefined || !isDuration(value) || parseDuration(value) >= 0) return [];
  return [invalid(path, value, `${name} cannot be negative`)];
}
