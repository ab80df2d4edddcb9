import { connectionErrorCode } from "@ark/types";

/**
 * Whether a pg error means the database cannot be reached right now (refused, reset, shut down, restarting),
 * rather than that the request was wrong: callers answer 503 and retry instead of reporting a failure.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (connectionErrorCode(e) || code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03")) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message)) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}
