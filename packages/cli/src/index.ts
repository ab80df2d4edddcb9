export { createProgram } from "./program.js";
export { resolveSettings, type ClientSettings } from "./settings.js";
export { createArkApi, ApiError, type ArkApi } from "./client/api-client.js";
export { runQuery, answerText, type QueryRequest, type QueryOutcome } from "./query/run-query.js";
export { stackServices } from "./dev/services.js";
export { startStack, type RunningStack, type ServiceState } from "./dev/stack.js";
export type { ServiceEntry, StackContext, RunningEntry } from "./dev/stack-context.js";
export { runDev, type DevOptions } from "./dev/run-dev.js";
export { servicePort, DEFAULT_PORTS } from "./dev/ports.js";
