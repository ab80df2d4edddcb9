import type { FieldError, FieldErrorType } from "../kinds/definition.js";
import { formatFieldErrorBody } from "../kinds/definition.js";

/** Kubernetes metav1.CauseType for each field error type. */
export type StatusCauseReason = "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported" | "FieldValueDuplicate" | "FieldValueForbidden" | "FieldValueTooLong" | "FieldValueUnknown";

export interface StatusCause {
  reason: StatusCauseReason;
  message: string;
  field: string;
}

const CAUSE_REASONS: Record<FieldErrorType, StatusCauseReason> = {
  "Required value": "FieldValueRequired",
  "Invalid value": "FieldValueInvalid",
  "Unsupported value": "FieldValueNotSupported",
  "Duplicate value": "FieldValueDuplicate",
  Forbidden: "FieldValueForbidden",
  "Too long": "FieldValueTooLong",
  "Field not declared in schema": "FieldValueUnknown",
};

/** The `details.causes` of a 422 Status, which kubectl prints as `field: message`. */
export function fieldErrorsToStatusCauses(errors: readonly FieldError[]): StatusCause[] {
  return errors.map((e) => ({ reason: CAUSE_REASONS[e.type], message: formatFieldErrorBody(e), field: e.field }));
}
