/** The stored object changed (or vanished) since the caller read it. */
export class PreconditionFailedError extends Error {}
/** An object with this key already exists. */
export class AlreadyExistsError extends Error {}
/** A key the database cannot store (a NUL character); the API refuses such names before storing. */
export class InvalidKeyError extends Error {}
