/**
 * How much later than a bus watch went live (the watcher's clock) a query must have been created (the API server's
 * clock, truncated to the second) for the watch to have seen all of its events: the truncation, and clocks up to a
 * second apart. A query's events are only published once it exists.
 */
const CLOCK_MARGIN_MS = 2_000;

/** Whether a bus watch live since `liveSince` (Date.now(); undefined: not live) has seen every event of a query created at `createdAt` (epoch ms). */
export function watchSawAllEvents(liveSince: number | undefined, createdAt: number | undefined): boolean {
  return liveSince !== undefined && createdAt !== undefined && liveSince + CLOCK_MARGIN_MS <= createdAt;
}
