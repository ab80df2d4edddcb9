export const DEFAULT_STREAM_PREFIX = "ARK";

/** Stream and consumer names; a prefix keeps test files (or several ARK installs) apart on one server. */
export function streamNames(prefix: string = DEFAULT_STREAM_PREFIX) {
  return {
    runs: `${prefix}_QUERY_RUNS`,
    events: `${prefix}_QUERY_EVENTS`,
    cancels: `${prefix}_QUERY_CANCELS`,
    /** The durable pull consumer every query worker shares. */
    workers: `${prefix}_QUERY_WORKERS`,
  };
}
export type StreamNames = ReturnType<typeof streamNames>;
