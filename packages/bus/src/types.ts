import type { BusEventEnvelope, BusQueryRef, QueryEndedNotice, QueryRunJob } from "@ark/types";

/** What a handler gets besides the job. */
export interface RunControl {
  /** 1 on the first delivery, +1 on each redelivery. */
  attempt: number;
  maxDeliver: number;
  /** Aborted when the query is canceled (reason: RunAbortedError "canceled") or the consumer shuts down ("shutdown"). */
  signal: AbortSignal;
  /** Tells the bus the run is alive. Also sent automatically while the handler runs. */
  heartbeat(): void;
}

export type RunHandler = (job: QueryRunJob, ctl: RunControl) => Promise<void>;

export interface RunExhausted {
  attempts: number;
  maxDeliver: number;
  /** Human-readable, fit for the query's status message. */
  reason: string;
  /** The last handler error, when this process saw it (absent when the last worker died). */
  error?: unknown;
}

export interface ConsumeRunsOptions {
  /** Handlers in flight at most. */
  concurrency: number;
  /** Called once when a job has used all its deliveries; must make the query terminal (e.g. publish a failed event). */
  onExhausted: (job: QueryRunJob, exhausted: RunExhausted) => Promise<void>;
  /** Aborting it closes the consumer like `close()` with no grace. */
  signal?: AbortSignal;
  /** Problems the bus handled itself (undecodable job, transient fetch error); for logs. */
  onError?: (error: unknown) => void;
}

export interface CloseRunsOptions {
  /** How long in-flight handlers may still finish (and ack). Default: wait for all. 0 = abandon now. */
  graceMs?: number;
}

export interface RunConsumer {
  readonly inFlight: number;
  /**
   * Stops taking jobs and waits for the in-flight ones up to `graceMs`; the rest are abandoned
   * (signal aborted with "shutdown", never acked), so another worker gets them after the ack wait.
   */
  close(opts?: CloseRunsOptions): Promise<void>;
}

export interface ReadEventsOptions {
  /** Only events with a greater seq (an SSE Last-Event-ID). Default: from the first event. */
  afterSeq?: number;
  /** Keep reading live events until a terminal one (or the signal). Otherwise stop at the current end. */
  follow: boolean;
  /** Ends the iteration (no error). */
  signal?: AbortSignal;
}

export type EventWatchListener<E = unknown> = (envelope: BusEventEnvelope<E>, storedBytes: number) => void;

export interface WatchEventsOptions {
  /** Problems the bus handled itself (an undecodable event, a consumer it had to recreate); for logs. */
  onError?: (error: unknown) => void;
}

/** The query bus: run jobs for workers, execution events for everyone. `E` is the event payload. */
export interface QueryBus<E = unknown> {
  /** Enqueues a run; a second job for the same queryUid within the duplicate window is dropped. */
  enqueueRun(job: QueryRunJob): Promise<{ duplicate: boolean }>;
  /** Pulls jobs: handler resolves → acked; throws → redelivered with backoff until maxDeliver, then onExhausted. */
  consumeRuns(handler: RunHandler, opts: ConsumeRunsOptions): Promise<RunConsumer>;
  /** Asks whoever runs (or will run) the query to stop; kept until the events' retention ends. */
  requestCancel(ref: BusQueryRef, reason?: string): Promise<void>;
  /** Appends an event to the query's stream; seq is what readers see in the envelope. */
  publishEvent(ref: BusQueryRef, event: E): Promise<{ seq: number }>;
  /** The query's events in order, from the start or after `afterSeq`; when following, ends after a terminal event. */
  readEvents(ref: BusQueryRef, opts: ReadEventsOptions): AsyncIterable<BusEventEnvelope<E>>;
  /** The query's latest event (its terminal one once it ended), without reading the stream. */
  lastEvent(ref: BusQueryRef): Promise<BusEventEnvelope<E> | undefined>;
  /** The seq of the query's first event the bus still holds (where a replay from the start begins), without reading the stream. */
  firstEventSeq(ref: BusQueryRef): Promise<number | undefined>;
  /**
   * Calls the listener when any query's terminal event is published. Best effort (nothing is kept
   * for absent listeners): pair it with a resync that asks lastEvent. Returns the unsubscribe.
   */
  onQueryEnded(listener: (notice: QueryEndedNotice) => void): Promise<() => void>;
  /**
   * Calls the listener with every query's events published after the returned promise resolves, each query's in
   * seq order, with no gaps (one subscription however many queries run), and the size of the event as stored (bytes
   * of its JSON). Returns the stop.
   */
  watchEvents(listener: EventWatchListener<E>, opts?: WatchEventsOptions): Promise<() => void>;
  /** Stops consumers (abandoning in-flight runs) and releases the connection. */
  close(): Promise<void>;
}
