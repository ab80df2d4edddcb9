import { backoffDelay } from "@ark/types";

/** Delivery rules of the run queue, shared by every worker of one bus. */
export interface RunSettings {
  /** Deliveries of one job before onExhausted. */
  maxDeliver: number;
  /** A delivery not acked nor heartbeated for this long goes to another worker. */
  ackWaitMs: number;
  /** Delay before redelivering a job whose handler threw, by the attempt that failed. */
  retryDelayMs: (attempt: number) => number;
  /** Window in which a second job with the same queryUid is dropped. */
  duplicateWindowMs: number;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  maxDeliver: 3,
  ackWaitMs: 30_000,
  retryDelayMs: (attempt) => backoffDelay(attempt, { baseMs: 1000, maxMs: 30_000 }),
  duplicateWindowMs: 10 * 60_000,
};

export function resolveRunSettings(partial: Partial<RunSettings> = {}): RunSettings {
  const settings = { ...DEFAULT_RUN_SETTINGS, ...partial };
  if (!Number.isInteger(settings.maxDeliver) || settings.maxDeliver < 1) {
    throw new RangeError(`bus: maxDeliver must be an integer >= 1, got ${settings.maxDeliver}`);
  }
  if (!(settings.ackWaitMs > 0)) throw new RangeError(`bus: ackWaitMs must be > 0, got ${settings.ackWaitMs}`);
  return settings;
}

/** Heartbeats go out well inside the ack wait, so one late timer does not cost the run. */
export function heartbeatIntervalMs(settings: RunSettings): number {
  return Math.max(Math.floor(settings.ackWaitMs / 3), 10);
}

/** Extra deliveries past maxDeliver reserved for onExhausted, after which the job is dropped. */
export const EXHAUSTION_DELIVERIES = 3;
