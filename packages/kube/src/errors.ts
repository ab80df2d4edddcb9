import { ApiException } from "@kubernetes/client-node";

/** The HTTP status of a failed API call (client-node's ApiException, or a watch error's statusCode). */
export function apiStatusCode(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (typeof err === "object" && err !== null) {
    const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
    if (typeof statusCode === "number") return statusCode;
    if (typeof code === "number") return code;
  }
  return undefined;
}

export const isNotFound = (err: unknown): boolean => apiStatusCode(err) === 404;
/** 409: a stale resourceVersion, or AlreadyExists on create. */
export const isConflict = (err: unknown): boolean => apiStatusCode(err) === 409;
export const isGone = (err: unknown): boolean => apiStatusCode(err) === 410;
export const isInvalid = (err: unknown): boolean => apiStatusCode(err) === 422;

/** The Kubernetes Status message of a failed call, else the error's own message. */
export function apiErrorMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === "string" ? safeParse(err.body) : err.body;
    const message = (body as { message?: unknown } | undefined)?.message;
    if (typeof message === "string") return message;
  }
  return err instanceof Error ? err.message : String(err);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
