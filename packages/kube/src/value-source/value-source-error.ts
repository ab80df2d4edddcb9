import { ClassifiedError } from "@ark/types";

/** A value source that cannot resolve for a reason the user can fix (missing key, port, object): report it in conditions. */
export class ValueSourceError extends ClassifiedError {
  override readonly name = "ValueSourceError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "VALUE_SOURCE_ERROR", message, options);
  }
}

export const isValueSourceError = (err: unknown): err is ValueSourceError => err instanceof ValueSourceError;
