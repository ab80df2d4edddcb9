import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import {
  BusEventRecord,
  busSubjects,
  DEFAULT_SUBJECT_PREFIX,
  isTerminalBusEvent,
  QueryEndedNotice,
  QueryRunJob,
  runJobKey,
  type BusEventEnvelope,
  type BusQueryRef,
  type BusSubjects,
  type QueryCancelRequest,
} from "@ark/types";
import { resolveEventRetention, type EventRetention } from "../event-retention.js";
import { assertPayloadFits, DEFAULT_MAX_PAYLOAD_BYTES } from "../payload-limit.js";
import { resolveRunSettings, type RunSettings } from "../run-settings.js";
import type { ConsumeRunsOptions, EventWatchListener, QueryBus, ReadEventsOptions, RunConsumer, RunHandler, WatchEventsOptions } from "../types.js";
import { readQueryEvents } from "./event-reader.js";
import { watchAllEvents } from "./event-watcher.js";
import { DEFAULT_STREAM_PREFIX, streamNames, type StreamNames } from "./names.js";
import { decodeJson } from "./decode-json.js";
import { JetStreamRunConsumer } from "./run-consumer.js";
import { traceHeadersOut } from "./trace-headers.js";
import { busStreamPlan, ensureBusStreams } from "./streams.js";

export interface JetStreamBusOptions {
  /** NATS server URL(s), e.g. process.env.NATS_URL. */
  servers: string | string[];
  /** Anything else for the connection (credentials, TLS, name). Reconnects forever by default. */
  connection?: Omit<NodeConnectionOptions, "servers">;
  /** Stream and durable names start with it (default "ARK"). */
  streamPrefix?: string;
  /** Subjects start with it (default "ark"). */
  subjectPrefix?: string;
  runs?: Partial<RunSettings>;
  events?: Partial<EventRetention>;
}

/** Connects, creates or updates the bus streams, and returns the bus. */
export async function connectJetStreamBus<E = unknown>(options: JetStreamBusOptions): Promise<JetStreamQueryBus<E>> {
  const nc = await connect({
    name: "ark-bus",
    maxReconnectAttempts: -1,
    // Otherwise every request (a publish's ack, a stream lookup) builds an Error up front for its caller's stack:
    // CPU per bus call and heap per run in flight (e2e/bench/REPORT.md).
    noAsyncTraces: true,
    ...options.connection,
    servers: options.servers,
  });
  try {
    const jsm = await jetstreamManager(nc);
    const names = streamNames(options.streamPrefix ?? DEFAULT_STREAM_PREFIX);
    const subjects = busSubjects(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
    const settings = resolveRunSettings(options.runs);
    await ensureBusStreams(jsm, busStreamPlan(names, subjects, settings, resolveEventRetention(options.events)));
    return new JetStreamQueryBus<E>(nc, jsm, names, subjects, settings);
  } catch (error) {
    await nc.close();
    throw error;
  }
}

/** The query bus over NATS JetStream (distributed mode). */
export class JetStreamQueryBus<E = unknown> implements QueryBus<E> {
  private readonly js: JetStreamClient;
  private readonly consumers = new Set<JetStreamRunConsumer>();
  private readonly watchers = new Set<() => void>();

  constructor(
    readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    readonly names: StreamNames,
    readonly subjects: BusSubjects,
    readonly settings: RunSettings,
  ) {
    this.js = jetstream(nc);
  }

  async enqueueRun(job: QueryRunJob): Promise<{ duplicate: boolean }> {
    const headers = traceHeadersOut();
    const ack = await this.js.publish(this.subjects.run, JSON.stringify(QueryRunJob.parse(job)), { msgID: runJobKey(job), ...(headers ? { headers } : {}) });
    return { duplicate: ack.duplicate };
  }

  async consumeRuns(handler: RunHandler, opts: ConsumeRunsOptions): Promise<RunConsumer> {
    const consumer = await this.js.consumers.get(this.names.runs, this.names.workers);
    const { nc, jsm, names, subjects, settings } = this;
    const onClosed = () => this.consumers.delete(runConsumer);
    const runConsumer = new JetStreamRunConsumer({ nc, jsm, consumer, names, subjects, settings, onClosed }, handler, opts);
    this.consumers.add(runConsumer);
    return runConsumer;
  }

  async requestCancel(ref: BusQueryRef, reason = "canceled"): Promise<void> {
    const request: QueryCancelRequest = { ...pickRef(ref), time: new Date().toISOString(), reason };
    await this.js.publish(this.subjects.cancel(ref), JSON.stringify(request));
  }

  async publishEvent(ref: BusQueryRef, event: E): Promise<{ seq: number }> {
    const record: BusEventRecord<E> = { ...pickRef(ref), time: new Date().toISOString(), event };
    const payload = JSON.stringify(record);
    assertPayloadFits(ref, payload, this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES);
    const headers = traceHeadersOut();
    const ack = await this.js.publish(this.subjects.events(ref), payload, headers ? { headers } : undefined);
    if (isTerminalBusEvent(event)) {
      const notice: QueryEndedNotice = { ...pickRef(ref), seq: ack.seq, type: (event as { type: string }).type };
      this.nc.publish(this.subjects.ended, JSON.stringify(notice));
    }
    return { seq: ack.seq };
  }

  async lastEvent(ref: BusQueryRef): Promise<BusEventEnvelope<E> | undefined> {
    const stored = await this.jsm.direct.getMessage(this.names.events, { last_by_subj: this.subjects.events(ref) });
    if (!stored) return undefined;
    return { seq: stored.seq, ...(BusEventRecord.parse(stored.json()) as BusEventRecord<E>) };
  }

  async firstEventSeq(ref: BusQueryRef): Promise<number | undefined> {
    // The subject's first message at or after seq 0.
    const stored = await this.jsm.direct.getMessage(this.names.events, { next_by_subj: this.subjects.events(ref), seq: 0 });
    return stored?.seq;
  }

  async onQueryEnded(listener: (notice: QueryEndedNotice) => void): Promise<() => void> {
    const subscription = this.nc.subscribe(this.subjects.ended, {
      callback: (error, msg) => {
        if (error) return;
        const notice = QueryEndedNotice.safeParse(decodeJson(msg.data));
        if (notice.success) listener(notice.data);
      },
    });
    await this.nc.flush();
    return () => subscription.unsubscribe();
  }

  readEvents(ref: BusQueryRef, opts: ReadEventsOptions): AsyncIterable<BusEventEnvelope<E>> {
    return readQueryEvents<E>({ js: this.js, jsm: this.jsm, stream: this.names.events, subjects: this.subjects }, ref, opts);
  }

  async watchEvents(listener: EventWatchListener<E>, opts?: WatchEventsOptions): Promise<() => void> {
    const stop = await watchAllEvents<E>({ js: this.js, jsm: this.jsm, stream: this.names.events, subjects: this.subjects }, listener, opts);
    this.watchers.add(stop);
    return () => {
      this.watchers.delete(stop);
      stop();
    };
  }

  async close(): Promise<void> {
    for (const stop of this.watchers) stop();
    this.watchers.clear();
    await Promise.all([...this.consumers].map((consumer) => consumer.close({ graceMs: 0 })));
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

function pickRef(ref: BusQueryRef): BusQueryRef {
  return { queryUid: ref.queryUid, namespace: ref.namespace, name: ref.name };
}
