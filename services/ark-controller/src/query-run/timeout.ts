/**
 * The message of a query that ran out of `spec.timeout`, written by the worker that stops the run and by the
 * reconciler that marks it when no worker reported; `spec.timeout` as written (`5m`), so it matches the manifest.
 */
export function timeoutMessage(query: string, timeout: string): string {
  return `query ${query}: timed out after ${timeout} (spec.timeout, time waiting in the queue included)`;
}
