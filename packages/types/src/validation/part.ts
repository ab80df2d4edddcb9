import type { z } from "zod";
import type { FieldError } from "../kinds/definition.js";
import { findUnknownFields } from "./unknown-fields.js";
import { pruneNulls } from "./prune-nulls.js";
import { issueToFieldError } from "./zod-issues.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface PartResult<T> {
  /** Defaulted value; undefined when errors were found. */
  value: T | undefined;
  errors: FieldError[];
  warnings: string[];
}

/** Schema-validates one part of an object (spec or status) at `path`, handling unknown fields per fieldValidation. */
export function validatePart<S extends z.ZodType>(schema: S, input: unknown, path: string, fieldValidation: FieldValidation): PartResult<z.output<S>> {
  const pruned = pruneNulls(schema, input);
  const parsed = schema.safeParse(pruned);
  const errors = parsed.success ? [] : parsed.error.issues.map((issue) => issueToFieldError(issue, path, pruned));
  const warnings: string[] = [];
  if (fieldValidation !== "Ignore") {
    for (const field of findUnknownFields(schema, pruned, path)) {
      if (fieldValidation === "Strict") errors.push({ field, type: "Field not declared in schema", detail: "" });
      else warnings.push(`unknown field "${field}"`);
    }
  }
  return { value: parsed.success ? parsed.data : undefined, errors, warnings };
}
