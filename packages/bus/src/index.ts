export type {
  CloseRunsOptions,
  ConsumeRunsOptions,
  QueryBus,
  ReadEventsOptions,
  RunConsumer,
  RunControl,
  RunExhausted,
  RunHandler,
  WatchEventsOptions,
} from "./types.js";
export { RunAbortedError, isRunCanceled, type RunAbortReason } from "./run-aborted.js";
export { DEFAULT_RUN_SETTINGS, type RunSettings } from "./run-settings.js";
export { DEFAULT_EVENT_RETENTION, type EventRetention } from "./event-retention.js";
export { MemoryQueryBus, type MemoryBusOptions } from "./memory/memory-bus.js";
export { connectJetStreamBus, JetStreamQueryBus, type JetStreamBusOptions } from "./jetstream/jetstream-bus.js";
export { streamNames, DEFAULT_STREAM_PREFIX, type StreamNames } from "./jetstream/names.js";
export { deleteBusStreams } from "./jetstream/streams.js";
export { openQueryBus, type OpenQueryBusOptions } from "./open-bus.js";
export { PayloadTooLargeError, DEFAULT_MAX_PAYLOAD_BYTES } from "./payload-limit.js";
export { followQueryEvents, type FollowQueryOptions } from "./follow-query.js";
