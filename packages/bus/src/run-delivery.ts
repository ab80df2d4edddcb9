import type { QueryRunJob } from "@ark/types";
import type { InFlightRun } from "./run-slots.js";
import { RunAbortedError } from "./run-aborted.js";
import { heartbeatIntervalMs, type RunSettings } from "./run-settings.js";
import type { ConsumeRunsOptions, RunExhausted, RunHandler } from "./types.js";

/** One delivery of a job, as either implementation hands it over. */
export interface RunDelivery {
  job: QueryRunJob;
  /** 1-based delivery count. */
  attempt: number;
  ack(): void;
  nak(delayMs: number): void;
  working(): void;
}

export interface RunDeliveryContext {
  handler: RunHandler;
  options: ConsumeRunsOptions;
  settings: RunSettings;
  /** A kept cancel request for the job's query, if any (its reason). */
  findCancelRequest: (job: QueryRunJob) => Promise<string | undefined>;
  /** Whether the query's stream already holds a terminal event. */
  hasEnded: (job: QueryRunJob) => Promise<boolean>;
}

/**
 * The delivery rules both implementations share: heartbeat while running; resolve → ack; throw →
 * retry with backoff; the last attempt failing, or a delivery past maxDeliver (the last worker
 * died), → onExhausted then ack. A job whose query already ended (a worker died between its
 * terminal event and the ack, or a late re-enqueue) is acked unrun. Abandoned runs are never settled.
 */
export async function executeDelivery(delivery: RunDelivery, run: InFlightRun, ctx: RunDeliveryContext): Promise<void> {
  const { settings, options } = ctx;
  const live = () => !run.abandoned;
  const heartbeat = () => {
    if (live()) delivery.working();
  };
  const timer = setInterval(heartbeat, heartbeatIntervalMs(settings));
  try {
    // Both lookups at once (one round trip to the bus, not two, before a run starts); the cancel one is unused when the query ended.
    const [ended, cancelReason] = await Promise.all([
      ctx.hasEnded(delivery.job).catch((error: unknown) => {
        options.onError?.(error);
        return false;
      }),
      ctx.findCancelRequest(delivery.job).catch((error: unknown) => {
        options.onError?.(error);
        return undefined;
      }),
    ]);
    if (ended) {
      if (live()) delivery.ack();
      return;
    }
    if (delivery.attempt > settings.maxDeliver) {
      await exhaust(delivery, run, ctx, undefined);
      return;
    }
    if (cancelReason !== undefined && !run.abort.signal.aborted) {
      run.abort.abort(new RunAbortedError("canceled", cancelReason));
    }
    try {
      await ctx.handler(delivery.job, {
        attempt: delivery.attempt,
        maxDeliver: settings.maxDeliver,
        signal: run.abort.signal,
        heartbeat,
      });
    } catch (error) {
      if (!live()) return;
      if (delivery.attempt >= settings.maxDeliver) await exhaust(delivery, run, ctx, error);
      else delivery.nak(settings.retryDelayMs(delivery.attempt));
      return;
    }
    if (live()) delivery.ack();
  } finally {
    clearInterval(timer);
  }
}

async function exhaust(delivery: RunDelivery, run: InFlightRun, ctx: RunDeliveryContext, error: unknown): Promise<void> {
  const { maxDeliver } = ctx.settings;
  const exhausted: RunExhausted = {
    attempts: Math.min(delivery.attempt, maxDeliver),
    maxDeliver,
    reason: exhaustedReason(maxDeliver, error),
    ...(error === undefined ? {} : { error }),
  };
  try {
    await ctx.options.onExhausted(delivery.job, exhausted);
  } catch (hookError) {
    ctx.options.onError?.(hookError);
    if (run.abandoned) return;
    delivery.nak(ctx.settings.retryDelayMs(delivery.attempt));
    return;
  }
  if (!run.abandoned) delivery.ack();
}

function exhaustedReason(maxDeliver: number, error: unknown): string {
  if (error === undefined) {
    return `query run abandoned after ${maxDeliver} delivery attempts: the last worker stopped without finishing`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `query run failed on all ${maxDeliver} delivery attempts; last error: ${message}`;
}
