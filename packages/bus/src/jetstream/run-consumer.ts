import { setTimeout as delay } from "node:timers/promises";
import type { Consumer, ConsumerMessages, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { BusEventRecord, isTerminalBusEvent, QueryCancelRequest, QueryRunJob, type BusSubjects } from "@ark/types";
import { executeDelivery, type RunDelivery } from "../run-delivery.js";
import type { RunSettings } from "../run-settings.js";
import { RunSlots } from "../run-slots.js";
import type { CloseRunsOptions, ConsumeRunsOptions, RunConsumer, RunHandler } from "../types.js";
import { context } from "@opentelemetry/api";
import { decodeJson } from "./decode-json.js";
import { traceContextIn } from "./trace-headers.js";
import type { StreamNames } from "./names.js";

const FETCH_EXPIRES_MS = 5_000;
const RETRY_PAUSE_MS = 1_000;

export interface JetStreamRunConsumerDeps {
  nc: NatsConnection;
  jsm: JetStreamManager;
  consumer: Consumer;
  names: StreamNames;
  subjects: BusSubjects;
  settings: RunSettings;
  onClosed?: () => void;
}

/**
 * Pulls from the shared durable consumer only as many jobs as there are free slots, so no job
 * waits in a client buffer while its ack wait runs out.
 */
export class JetStreamRunConsumer implements RunConsumer {
  private readonly slots: RunSlots;
  private readonly cancelSubscription: Subscription;
  private readonly stopped = new AbortController();
  private batch: ConsumerMessages | undefined;
  private readonly pulling: Promise<void>;

  constructor(
    private readonly deps: JetStreamRunConsumerDeps,
    private readonly handler: RunHandler,
    private readonly options: ConsumeRunsOptions,
  ) {
    this.slots = new RunSlots(options.concurrency);
    this.cancelSubscription = deps.nc.subscribe(deps.subjects.allCancels, {
      callback: (error, msg) => {
        if (error) return options.onError?.(error);
        const request = QueryCancelRequest.safeParse(decodeJson(msg.data));
        if (request.success) this.slots.cancel(request.data.queryUid, request.data.reason ?? "canceled");
      },
    });
    options.signal?.addEventListener("abort", () => void this.close({ graceMs: 0 }), { once: true });
    this.pulling = this.pullLoop();
  }

  get inFlight(): number {
    return this.slots.size;
  }

  async close(opts: CloseRunsOptions = {}): Promise<void> {
    if (!this.stopped.signal.aborted) {
      this.stopped.abort();
      this.slots.wakeAll();
      await this.batch?.close();
    }
    await this.pulling;
    await this.slots.settle(opts.graceMs);
    this.cancelSubscription.unsubscribe();
    this.deps.onClosed?.();
  }

  private async pullLoop(): Promise<void> {
    const stopped = this.stopped.signal;
    while (!stopped.aborted) {
      await this.slots.whenFree();
      if (stopped.aborted) return;
      try {
        this.batch = await this.deps.consumer.fetch({ max_messages: this.slots.free, expires: FETCH_EXPIRES_MS });
        if (stopped.aborted) void this.batch.close();
        for await (const msg of this.batch) {
          if (stopped.aborted) msg.nak();
          else this.dispatch(msg);
        }
      } catch (error) {
        if (stopped.aborted) return;
        this.options.onError?.(error);
        await delay(RETRY_PAUSE_MS, undefined, { signal: stopped }).catch(() => undefined);
      } finally {
        this.batch = undefined;
      }
    }
  }

  private dispatch(msg: JsMsg): void {
    const job = QueryRunJob.safeParse(decodeJson(msg.data));
    if (!job.success) {
      this.options.onError?.(new Error(`bus: dropped an undecodable run job (stream seq ${msg.seq}): ${job.error.message}`));
      msg.term();
      return;
    }
    const delivery: RunDelivery = {
      job: job.data,
      attempt: msg.info.deliveryCount,
      ack: () => this.safely(() => msg.ack()),
      nak: (delayMs) => this.safely(() => msg.nak(delayMs)),
      working: () => this.safely(() => msg.working()),
    };
    const { handler, options } = this;
    const { settings } = this.deps;
    // The handler runs in the trace of whoever enqueued the job (the reconciler's span), from the message headers.
    const traceContext = traceContextIn(msg.headers);
    this.slots.track(job.data.queryUid, (run) =>
      context.with(traceContext, () =>
        executeDelivery(delivery, run, {
          handler,
          options,
          settings,
          findCancelRequest: (j) => this.findCancelRequest(j),
          hasEnded: (j) => this.hasEnded(j),
        }),
      ),
    );
  }

  /** Acks can throw once the connection is closed; a timer must not crash the process for it. */
  private safely(send: () => void): void {
    try {
      send();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  // A direct get (docs/architecture.md §3): on a cluster a replica may answer a moment behind the leader, which does not
  // matter here: the terminal event it looks for (a redelivery after the ack wait, a late re-enqueue) is long written.
  private async hasEnded(job: QueryRunJob): Promise<boolean> {
    const stored = await this.deps.jsm.direct.getMessage(this.deps.names.events, { last_by_subj: this.deps.subjects.events(job) });
    return stored !== null && isTerminalBusEvent(BusEventRecord.safeParse(decodeJson(stored.data)).data?.event);
  }

  // From the stream's leader (not a direct get): a cancel sent just before the run starts must be seen.
  private async findCancelRequest(job: QueryRunJob): Promise<string | undefined> {
    const stored = await this.deps.jsm.streams.getMessage(this.deps.names.cancels, {
      last_by_subj: this.deps.subjects.cancel(job),
    });
    if (!stored) return undefined;
    const request = QueryCancelRequest.safeParse(decodeJson(stored.data));
    return request.success ? (request.data.reason ?? "canceled") : undefined;
  }
}
