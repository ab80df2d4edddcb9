import { Fifo, isTerminalBusEvent, type BusEventEnvelope, type BusEventRecord, type BusQueryRef } from "@ark/types";
import type { EventRetention } from "../event-retention.js";
import { assertPayloadFits } from "../payload-limit.js";
import type { ReadEventsOptions } from "../types.js";

interface StoredEvent {
  seq: number;
  at: number;
  /** Stored as JSON, so readers get what a wire would give them (no shared objects, no Dates). */
  json: string;
}

interface QueryLog {
  events: StoredEvent[];
  wake: Set<() => void>;
}

/** Every query's events in one process, with a global seq and the stream's retention limits. */
export class MemoryEventLog<E> {
  private seq = 0;
  private bytes = 0;
  private readonly logs = new Map<string, QueryLog>();
  /** Global append order, for age and size eviction: [queryUid, seq]. */
  private readonly order = new Fifo<[string, number]>();

  constructor(
    private readonly retention: EventRetention,
    private readonly maxPayloadBytes: number,
  ) {}

  /** Stores the event; returns its seq and the record as stored (JSON). */
  append(ref: BusQueryRef, event: E): { seq: number; json: string } {
    const record: BusEventRecord<E> = { ...refOf(ref), time: new Date().toISOString(), event };
    const json = JSON.stringify(record);
    assertPayloadFits(ref, json, this.maxPayloadBytes);
    const stored: StoredEvent = { seq: ++this.seq, at: Date.now(), json };
    const log = this.log(ref.queryUid);
    log.events.push(stored);
    this.order.push([ref.queryUid, stored.seq]);
    this.bytes += stored.json.length;
    if (log.events.length > this.retention.maxEventsPerQuery) this.drop(ref.queryUid, log.events[0] as StoredEvent);
    this.evict();
    const wake = [...log.wake];
    log.wake.clear();
    for (const fn of wake) fn();
    return { seq: stored.seq, json };
  }

  async *read(ref: BusQueryRef, opts: ReadEventsOptions): AsyncGenerator<BusEventEnvelope<E>> {
    let after = opts.afterSeq ?? 0;
    while (!opts.signal?.aborted) {
      this.evict();
      const log = this.log(ref.queryUid);
      const pending = log.events.filter((stored) => stored.seq > after);
      for (const stored of pending) {
        if (opts.signal?.aborted) return;
        const envelope = { seq: stored.seq, ...(JSON.parse(stored.json) as BusEventRecord<E>) };
        after = stored.seq;
        yield envelope;
        if (opts.follow && isTerminalBusEvent(envelope.event)) return;
      }
      if (!opts.follow) return;
      if (pending.length === 0 && !(await this.nextAppend(log, opts.signal))) return;
    }
  }

  last(ref: BusQueryRef): BusEventEnvelope<E> | undefined {
    this.evict();
    const stored = this.logs.get(ref.queryUid)?.events.at(-1);
    return stored && { seq: stored.seq, ...(JSON.parse(stored.json) as BusEventRecord<E>) };
  }

  firstSeq(ref: BusQueryRef): number | undefined {
    this.evict();
    return this.logs.get(ref.queryUid)?.events[0]?.seq;
  }

  clear(): void {
    for (const log of this.logs.values()) for (const wake of log.wake) wake();
    this.logs.clear();
  }

  private nextAppend(log: QueryLog, signal: AbortSignal | undefined): Promise<boolean> {
    return new Promise((resolve) => {
      const onAbort = () => {
        log.wake.delete(onAppend);
        resolve(false);
      };
      const onAppend = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      };
      log.wake.add(onAppend);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private log(queryUid: string): QueryLog {
    let log = this.logs.get(queryUid);
    if (!log) {
      log = { events: [], wake: new Set() };
      this.logs.set(queryUid, log);
    }
    return log;
  }

  private evict(): void {
    const oldest = Date.now() - this.retention.maxAgeMs;
    while (this.order.length > 0) {
      const [queryUid, seq] = this.order.peek() as [string, number];
      const log = this.logs.get(queryUid);
      const first = log?.events[0];
      if (!first || first.seq !== seq) {
        this.order.shift();
        continue;
      }
      if (first.at >= oldest && this.bytes <= this.retention.maxBytes) return;
      this.order.shift();
      this.drop(queryUid, first);
    }
  }

  private drop(queryUid: string, stored: StoredEvent): void {
    const log = this.logs.get(queryUid);
    if (!log || log.events[0] !== stored) return;
    log.events.shift();
    this.bytes -= stored.json.length;
    if (log.events.length === 0 && log.wake.size === 0) this.logs.delete(queryUid);
  }
}

function refOf(ref: BusQueryRef): BusQueryRef {
  return { queryUid: ref.queryUid, namespace: ref.namespace, name: ref.name };
}
