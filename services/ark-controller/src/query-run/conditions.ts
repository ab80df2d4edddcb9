/** Query condition types: references resolved, a run in progress, and the outcome. */
export const RESOLVED = "Resolved";
export const RUNNING = "Running";
export const COMPLETED = "Completed";
