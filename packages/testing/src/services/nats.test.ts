import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testNats } from "../vitest/index.js";
import { natsTestNames } from "./nats.js";

const server = testNats();

describe("natsTestNames", () => {
  it("makes unique names that are valid stream names and subject tokens", () => {
    const a = natsTestNames("Query Bus!");
    const b = natsTestNames("Query Bus!");
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^query_bus_[0-9a-f]{10}$/);
    expect(a.stream("ARK.QUERY")).toBe(`ARK_QUERY_${a.id}`);
    expect(a.subject("query", "run")).toBe(`t.${a.id}.query.run`);
  });
});

describe.skipIf(!server)("test NATS", () => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: server!.url });
  });
  afterAll(async () => {
    await nc?.close();
  });

  it("has JetStream: a stream is created, used and deleted", async () => {
    const names = natsTestNames("jetstream");
    const jsm = await jetstreamManager(nc);
    const stream = names.stream("RUN");
    await jsm.streams.add({ name: stream, subjects: [names.subject(">")] });
    try {
      const js = jetstream(nc);
      const ack = await js.publish(names.subject("query", "run"), JSON.stringify({ uid: "q1" }));
      expect(ack.stream).toBe(stream);
      await jsm.consumers.add(stream, { durable_name: "worker", ack_policy: AckPolicy.Explicit });
      const consumer = await js.consumers.get(stream, "worker");
      const message = await consumer.next({ expires: 5_000 });
      expect(message?.json()).toEqual({ uid: "q1" });
      message?.ack();
    } finally {
      await jsm.streams.delete(stream);
    }
    await expect(jsm.streams.info(stream)).rejects.toThrow();
  });
});
