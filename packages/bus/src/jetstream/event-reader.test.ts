import { jetstreamManager } from "@nats-io/jetstream";
import { afterAll, describe, expect, it } from "vitest";
import { testNats } from "@ark/testing/vitest";
import { TEST_RUN_SETTINGS, collect, deferred, makeJob, refOf, sleep } from "../conformance/harness.js";
import { openTestJetStreamBus } from "./test-bus.js";

const nats = testNats();

describe.skipIf(!nats)("JetStream bus: event readers", () => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  it("leaves no consumer on the events stream after replays, ended follows and aborted follows", async () => {
    const harness = await openTestJetStreamBus(nats?.url as string, "reader", TEST_RUN_SETTINGS);
    disposers.push(harness.dispose);
    const { bus } = harness;
    const ref = refOf(makeJob());
    await bus.publishEvent(ref, { type: "query.started" });
    await collect(bus.readEvents(ref, { follow: false }));

    const abort = new AbortController();
    const firstSeen = deferred();
    const aborted = (async () => {
      for await (const _ of bus.readEvents(ref, { follow: true, signal: abort.signal })) firstSeen.resolve();
    })();
    await firstSeen.promise;
    abort.abort();
    await aborted;

    const following = collect(bus.readEvents(ref, { follow: true }));
    await sleep(50);
    await bus.publishEvent(ref, { type: "query.completed" });
    await following;

    const jsm = await jetstreamManager(bus.nc);
    const left = [];
    for await (const consumer of jsm.consumers.list(bus.names.events)) left.push(consumer.name);
    expect(left).toEqual([]);
  });
});
