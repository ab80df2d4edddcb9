export type {
  CloseRunsOptions,
  ConsumeRunsOptions,
  QueryBus,
  ReadEventsOptions,
  RunConsumer,
  RunControl,
  RunExhausted,
  RunHandler,
} from "./types.js";
export { RunAbortedError, isRunCanceled, type RunAbortReason } from "./run-aborted.js";
export { DEFAULT_RUN_SETTINGS, type RunSettings } from "./run-settings.js";
export { DEFAULT_EVENT_RETENTION, type EventRetention } from "./event-retention.js";
export { MemoryQueryBus, type MemoryBusOptions } from "./memory/memory-bus.js";
