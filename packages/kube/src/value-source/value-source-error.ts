/** A value source that cannot resolve for a reason the user can fix (missing key, port, object): report it in conditions. */
export class ValueSourceError extends Error {
  override readonly name = "ValueSourceError";
}

export const isValueSourceError = (err: unknown): err is ValueSourceError => err instanceof ValueSourceError;
