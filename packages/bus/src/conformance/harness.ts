import { randomUUID } from "node:crypto";
import { WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import type { BusQueryRef, QueryRunJob } from "@ark/types";
import type { RunSettings } from "../run-settings.js";
import type { QueryBus } from "../types.js";

/** A fresh, isolated bus for one test; `peer` is another client of the same bus (another process). */
export interface BusHarness {
  bus: QueryBus;
  peer(): Promise<QueryBus>;
  dispose(): Promise<void>;
}

export type MakeBus = (settings: RunSettings) => Promise<BusHarness>;

/** Short waits so the suite runs quickly on a shared 2-core machine. */
export const TEST_RUN_SETTINGS: RunSettings = {
  maxDeliver: 3,
  ackWaitMs: 1000,
  retryDelayMs: () => 20,
  duplicateWindowMs: 60_000,
};

export function makeJob(label = "q"): QueryRunJob {
  const queryUid = randomUUID();
  return {
    queryUid,
    namespace: "default",
    name: `${label}-${queryUid.slice(0, 8)}`,
    generation: 1,
    enqueuedAt: new Date().toISOString(),
  };
}

export function refOf(job: QueryRunJob): BusQueryRef {
  return { namespace: job.namespace, name: job.name, queryUid: job.queryUid };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** expect.poll / vi.waitFor options for the suite: polls often (in-process waits are short). */
export const POLL = { ...WITHIN_TEST_TIMEOUT, interval: 10 };

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export const noExhaustion = async () => {
  throw new Error("onExhausted was not expected in this test");
};
