import { AckPolicy, RetentionPolicy, jetstreamManager } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { testNats } from "@ark/testing/vitest";
import { TEST_RUN_SETTINGS } from "../conformance/harness.js";
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

  it("updates the limits of existing streams and the workers' consumer on connect", async () => {
    const harness = await openTestJetStreamBus(nats?.url as string, "streams", TEST_RUN_SETTINGS);
    disposers.push(harness.dispose);
    const again = await connectJetStreamBus({
      ...harness.options,
      runs: { ...TEST_RUN_SETTINGS, ackWaitMs: 2000, maxDeliver: 5 },
      events: { maxEventsPerQuery: 50 },
    });
    try {
      const jsm = await jetstreamManager(again.nc);
      const workers = (await jsm.consumers.info(again.names.runs, again.names.workers)).config;
      expect(workers).toMatchObject({ ack_wait: nanos(2000), max_deliver: 5 + EXHAUSTION_DELIVERIES });
      expect((await jsm.streams.info(again.names.events)).config.max_msgs_per_subject).toBe(50);
    } finally {
      await again.close();
    }
  });
});
