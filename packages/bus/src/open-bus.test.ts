import { describe, expect, it } from "vitest";
import { testNats } from "@ark/testing/vitest";
import { deleteBusStreams } from "./jetstream/streams.js";
import { uniquePrefixes } from "./jetstream/test-bus.js";
import { openQueryBus } from "./open-bus.js";

describe("openQueryBus", () => {
  it("gives the in-process bus when no NATS URL is configured", async () => {
    const { bus, kind } = await openQueryBus({ natsUrl: undefined });
    expect(kind).toBe("memory");
    await bus.close();
  });

  const nats = testNats();
  it.skipIf(!nats)("gives the JetStream bus when a NATS URL is configured", async () => {
    const prefixes = uniquePrefixes("open");
    const { bus, kind } = await openQueryBus({ natsUrl: nats?.url, ...prefixes });
    expect(kind).toBe("jetstream");
    await bus.close();
    await deleteBusStreams(nats?.url as string, prefixes.streamPrefix as string);
  });
});
