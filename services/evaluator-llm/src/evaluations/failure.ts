import { ClassifiedError } from "@ark/types";

/** An evaluation that could not be scored: answered `{passed: false, error}` (HTTP 200, as the contract says). */
export class EvaluationFailure extends ClassifiedError {
  override readonly name = "EvaluationFailure";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "EVALUATION_FAILED", message, options);
  }
}

/** Text a person can read in an error, cut to `max` characters. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} characters)` : flat;
}
