import type { FieldError } from "../kinds/definition.js";
import type { Override } from "../shared/override.js";
import { checkHeaders } from "./headers.js";
import { checkLabelSelector } from "./label-selector.js";
import { required } from "./field-errors.js";

/** Each override: at least one header, headers as anywhere else, a valid label selector. */
export function checkOverrides(overrides: readonly Override[] | undefined, path: string): FieldError[] {
  return (overrides ?? []).flatMap((o, i) => {
    const at = `${path}[${i}]`;
    return [
      ...(o.headers.length === 0 ? [required(`${at}.headers`, "an override needs at least one header")] : []),
      ...checkHeaders(o.headers, `${at}.headers`),
      ...checkLabelSelector(o.labelSelector, `${at}.labelSelector`),
    ];
  });
}
