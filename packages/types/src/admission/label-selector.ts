import type { FieldError } from "../kinds/definition.js";
import type { LabelSelector } from "../shared/label-selector.js";
import { forbidden, required } from "./field-errors.js";

/** As Kubernetes validates metav1.LabelSelector: In/NotIn need values, Exists/DoesNotExist take none. */
export function checkLabelSelector(selector: LabelSelector | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (selector?.matchExpressions ?? []).forEach((req, i) => {
    const at = `${path}.matchExpressions[${i}].values`;
    const count = req.values?.length ?? 0;
    if ((req.operator === "In" || req.operator === "NotIn") && count === 0) {
      errors.push(required(at, "must be specified when `operator` is 'In' or 'NotIn'"));
    }
    if ((req.operator === "Exists" || req.operator === "DoesNotExist") && count > 0) {
      errors.push(forbidden(at, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
  });
  return errors;
}
