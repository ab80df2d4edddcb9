import { ClassifiedError } from "@ark/types";

/** Exit codes: 1 the request or query failed, 2 the command line was wrong. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake on the command line (exit 2). */
export class UsageError extends ClassifiedError {
  override readonly name = "UsageError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "USAGE", message, options);
  }
}

/** A failure to report in one line (exit 1): an API error, a failed query. */
export class CliError extends Error {
  override readonly name = "CliError";
}
