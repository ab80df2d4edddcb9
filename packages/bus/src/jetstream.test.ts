import { describe } from "vitest";
import { testNats } from "@ark/testing/vitest";
import { runBusConformance } from "./conformance.js";
import { openTestJetStreamBus } from "./jetstream/test-bus.js";

const nats = testNats();

describe.skipIf(!nats)(`JetStream bus (NATS from ${nats?.source ?? "nowhere"})`, () => {
  runBusConformance("JetStream", (settings) => openTestJetStreamBus(nats?.url as string, "conf", settings));
});
