import { ClassifiedError } from "../shared/errors.js";
/** A Kubernetes structural OpenAPI v3 schema node, as a CRD's openAPIV3Schema holds it. */
export interface StructuralSchema {
  description?: string;
  title?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maximum?: number;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  items?: StructuralSchema;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  required?: string[];
  "x-kubernetes-preserve-unknown-fields"?: true;
  "x-kubernetes-int-or-string"?: true;
  "x-kubernetes-embedded-resource"?: true;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-validations"?: { rule: string; message?: string; messageExpression?: string; reason?: string; fieldPath?: string }[];
}

/** Thrown when a zod schema holds a construct a structural schema cannot express; names the field. */
export class StructuralSchemaError extends ClassifiedError {
  override readonly name = "StructuralSchemaError";
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super("system", "STRUCTURAL_SCHEMA", `${path || "<root>"}: ${detail}`, { retryable: false });
  }
}
