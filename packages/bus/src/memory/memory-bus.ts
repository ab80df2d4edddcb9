import { isTerminalBusEvent, QueryRunJob, type BusEventEnvelope, type BusEventRecord, type BusQueryRef, type QueryEndedNotice } from "@ark/types";
import { resolveEventRetention, type EventRetention } from "../event-retention.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../payload-limit.js";
import { executeDelivery, type RunDeliveryContext } from "../run-delivery.js";
import { resolveRunSettings, type RunSettings } from "../run-settings.js";
import { RunSlots } from "../run-slots.js";
import type { ConsumeRunsOptions, EventWatchListener, QueryBus, ReadEventsOptions, RunConsumer, RunHandler, WatchEventsOptions } from "../types.js";
import { MemoryEventLog } from "./event-log.js";
import { MemoryRunQueue, type RunTap } from "./run-queue.js";

export interface MemoryBusOptions {
  runs?: Partial<RunSettings>;
  events?: Partial<EventRetention>;
  /** Largest encoded event accepted (default: NATS's 1 MiB). */
  maxPayloadBytes?: number;
}

/** The query bus inside one process (embedded dev stack), with the JetStream bus's semantics. */
export class MemoryQueryBus<E = unknown> implements QueryBus<E> {
  private readonly settings: RunSettings;
  private readonly queue: MemoryRunQueue;
  private readonly log: MemoryEventLog<E>;
  private readonly cancels = new Map<string, string>();
  private readonly consumers = new Set<MemoryRunConsumer>();
  private readonly endedListeners = new Set<(notice: QueryEndedNotice) => void>();
  private readonly watchers = new Set<{ listener: EventWatchListener<E>; opts: WatchEventsOptions }>();

  constructor(options: MemoryBusOptions = {}) {
    this.settings = resolveRunSettings(options.runs);
    this.queue = new MemoryRunQueue(this.settings);
    this.log = new MemoryEventLog<E>(resolveEventRetention(options.events), options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  }

  async enqueueRun(job: QueryRunJob): Promise<{ duplicate: boolean }> {
    return this.queue.enqueue(QueryRunJob.parse(job));
  }

  async consumeRuns(handler: RunHandler, opts: ConsumeRunsOptions): Promise<RunConsumer> {
    const consumer = new MemoryRunConsumer(handler, opts, this.settings, this.queue, {
      findCancelRequest: async (job) => this.cancels.get(job.queryUid),
      hasEnded: async (job) => isTerminalBusEvent(this.log.last(job)?.event),
    });
    this.consumers.add(consumer);
    consumer.closed.then(() => this.consumers.delete(consumer));
    this.queue.attach(consumer);
    return consumer;
  }

  async requestCancel(ref: BusQueryRef, reason = "canceled"): Promise<void> {
    this.cancels.set(ref.queryUid, reason);
    for (const consumer of this.consumers) consumer.slots.cancel(ref.queryUid, reason);
  }

  async publishEvent(ref: BusQueryRef, event: E): Promise<{ seq: number }> {
    const { seq, json } = this.log.append(ref, event);
    for (const watcher of this.watchers) {
      // A copy per watcher, as a wire would give it; in publish order (microtasks run in order).
      queueMicrotask(() => {
        if (!this.watchers.has(watcher)) return;
        try {
          watcher.listener({ seq, ...(JSON.parse(json) as BusEventRecord<E>) }, json.length);
        } catch (error) {
          watcher.opts.onError?.(error);
        }
      });
    }
    if (isTerminalBusEvent(event)) {
      const notice = { queryUid: ref.queryUid, namespace: ref.namespace, name: ref.name, seq, type: (event as { type: string }).type };
      for (const listener of this.endedListeners) queueMicrotask(() => listener(notice));
    }
    return { seq };
  }

  async lastEvent(ref: BusQueryRef): Promise<BusEventEnvelope<E> | undefined> {
    return this.log.last(ref);
  }

  async firstEventSeq(ref: BusQueryRef): Promise<number | undefined> {
    return this.log.firstSeq(ref);
  }

  async onQueryEnded(listener: (notice: QueryEndedNotice) => void): Promise<() => void> {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  async watchEvents(listener: EventWatchListener<E>, opts: WatchEventsOptions = {}): Promise<() => void> {
    const watcher = { listener, opts };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  readEvents(ref: BusQueryRef, opts: ReadEventsOptions): AsyncIterable<BusEventEnvelope<E>> {
    return this.log.read(ref, opts);
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close({ graceMs: 0 })));
    this.queue.close();
    this.log.clear();
    this.endedListeners.clear();
    this.watchers.clear();
  }
}

class MemoryRunConsumer implements RunConsumer, RunTap {
  readonly slots: RunSlots;
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  private closing = false;

  constructor(
    private readonly handler: RunHandler,
    private readonly options: ConsumeRunsOptions,
    private readonly settings: RunSettings,
    private readonly queue: MemoryRunQueue,
    private readonly lookups: Pick<RunDeliveryContext, "findCancelRequest" | "hasEnded">,
  ) {
    this.slots = new RunSlots(options.concurrency);
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    options.signal?.addEventListener("abort", () => void this.close({ graceMs: 0 }), { once: true });
  }

  get inFlight(): number {
    return this.slots.size;
  }

  free(): number {
    return this.closing ? 0 : this.slots.free;
  }

  deliver(delivery: Parameters<RunTap["deliver"]>[0]): void {
    const { handler, options, settings, lookups } = this;
    this.slots.track(delivery.job.queryUid, async (run) => {
      await executeDelivery(delivery, run, { handler, options, settings, ...lookups });
      setImmediate(() => this.queue.pump());
    });
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      this.queue.detach(this);
    }
    await this.slots.settle(opts.graceMs);
    this.markClosed();
  }
}
