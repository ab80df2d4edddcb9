import { ClassifiedError } from "@ark/types";

/** The stored object changed (or vanished) since the caller read it. */
export class PreconditionFailedError extends ClassifiedError {
  override readonly name = "PreconditionFailedError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "PRECONDITION_FAILED", message, options);
  }
}
/** An object with this key already exists. */
export class AlreadyExistsError extends ClassifiedError {
  override readonly name = "AlreadyExistsError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "ALREADY_EXISTS", message, options);
  }
}
/** A key the database cannot store (a NUL character); the API refuses such names before storing. */
export class InvalidKeyError extends ClassifiedError {
  override readonly name = "InvalidKeyError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "INVALID_KEY", message, options);
  }
}
