/** `REQUIRE_SERVICES=1` (CI): a missing Postgres or NATS fails the run instead of skipping suites. */
export function servicesRequired(): boolean {
  const value = process.env.REQUIRE_SERVICES?.toLowerCase();
  return value === "1" || value === "true" || value === "yes";
}

/** Hides the password of a connection URL for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable url>";
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return errorMessage(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}
