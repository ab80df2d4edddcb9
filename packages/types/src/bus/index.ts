export * from "./cancel-request.js";
export * from "./event-envelope.js";
export * from "./query-ended.js";
export * from "./run-job.js";
export * from "./subjects.js";
