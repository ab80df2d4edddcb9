import { AckPolicy, RetentionPolicy, jetstreamManager } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { QueryRunJob } from "@ark/types";
import { afterAll, describe, expect, it } from "vitest";
import { testNats } from "@ark/testing/vitest";
import { makeJob, TEST_RUN_SETTINGS } from "../conformance/harness.js";
import { DEFAULT_EVENT_RETENTION } from "../event-retention.js";
import { EXHAUSTION_DELIVERIES } from "../run-settings.js";
import { connectJetStreamBus } from "./jetstream-bus.js";
import { openTestJetStreamBus } from "./test-bus.js";

const nats = testNats();

describe.skipIf(!nats)("JetStream bus streams", () => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  it("creates a work queue for runs, a limits stream for events and one for cancel requests", async () => {
    const harness = await openTestJetStreamBus(nats?.url as string, "streams", TEST_RUN_SETTINGS);
    disposers.push(harness.dispose);
    const { bus } = harness;
    const jsm = await jetstreamManager(bus.nc);

    const runs = (await jsm.streams.info(bus.names.runs)).config;
    expect(runs).toMatchObject({
      subjects: [bus.subjects.run],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(TEST_RUN_SETTINGS.duplicateWindowMs),
    });
    const events = (await jsm.streams.info(bus.names.events)).config;
    expect(events).toMatchObject({
      subjects: [bus.subjects.allEvents],
      retention: RetentionPolicy.Limits,
      max_age: nanos(DEFAULT_EVENT_RETENTION.maxAgeMs),
      max_bytes: DEFAULT_EVENT_RETENTION.maxBytes,
      max_msgs_per_subject: DEFAULT_EVENT_RETENTION.maxEventsPerQuery,
      allow_direct: true,
    });
    const cancels = (await jsm.streams.info(bus.names.cancels)).config;
    expect(cancels).toMatchObject({ subjects: [bus.subjects.allCancels], retention: RetentionPolicy.Limits, max_msgs_per_subject: 1 });

    const workers = (await jsm.consumers.info(bus.names.runs, bus.names.workers)).config;
    expect(workers).toMatchObject({
      durable_name: bus.names.workers,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(TEST_RUN_SETTINGS.ackWaitMs),
      max_deliver: TEST_RUN_SETTINGS.maxDeliver + EXHAUSTION_DELIVERIES,
    });
  });

  // The server's default max_ack_pending (1,000) capped every worker of the bus together at 1,000 runs in flight.
  it("runs more than 1,000 jobs at once across two workers", async () => {
    // An ack wait a loaded machine's heartbeats keep: no job goes to the other worker twice.
    const harness = await openTestJetStreamBus(nats?.url as string, "acks", { ...TEST_RUN_SETTINGS, ackWaitMs: 30_000 });
    disposers.push(harness.dispose);
    const jobs = 1200;
    const running = new Set<string>();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handler = async (job: QueryRunJob) => {
      running.add(job.queryUid);
      await released;
    };
    const options = { concurrency: jobs / 2, onExhausted: async () => undefined };
    const workers = [await harness.bus.consumeRuns(handler, options), await (await harness.peer()).consumeRuns(handler, options)];
    try {
      // 100 publishes at a time: a loaded machine times out 1,200 at once.
      for (let i = 0; i < jobs; i += 100) await Promise.all(Array.from({ length: 100 }, () => harness.bus.enqueueRun(makeJob())));
      await expect.poll(() => running.size, { timeout: 45_000 }).toBe(jobs);
    } finally {
      release();
      await Promise.all(workers.map((worker) => worker.close()));
    }
  }, 90_000);

  it("updates the limits of existing streams and the workers' consumer on connect", async () => {
    const harness = await openTestJetStreamBus(nats?.url as string, "streams", TEST_RUN_SETTINGS);
    disposers.push(harness.dispose);
    // As a bus before max_ack_pending was set left it: the server's default.
    const before = await jetstreamManager(harness.bus.nc);
    await before.consumers.update(harness.bus.names.runs, harness.bus.names.workers, { max_ack_pending: 1000 });
    // As a bus before direct gets left its events stream: a lookup of a query's last event would find no responder.
    await before.streams.update(harness.bus.names.events, { ...(await before.streams.info(harness.bus.names.events)).config, allow_direct: false });
    const again = await connectJetStreamBus({
      ...harness.options,
      runs: { ...TEST_RUN_SETTINGS, ackWaitMs: 2000, maxDeliver: 5 },
      events: { maxEventsPerQuery: 50 },
    });
    try {
      const jsm = await jetstreamManager(again.nc);
      const workers = (await jsm.consumers.info(again.names.runs, again.names.workers)).config;
      expect(workers).toMatchObject({ ack_wait: nanos(2000), max_deliver: 5 + EXHAUSTION_DELIVERIES, max_ack_pending: -1 });
      expect((await jsm.streams.info(again.names.events)).config).toMatchObject({ max_msgs_per_subject: 50, allow_direct: true });
      await again.publishEvent({ namespace: "default", name: "q", queryUid: "u-direct" }, { type: "query.completed" });
      expect(await again.lastEvent({ namespace: "default", name: "q", queryUid: "u-direct" })).toMatchObject({ event: { type: "query.completed" } });
    } finally {
      await again.close();
    }
  });
});
