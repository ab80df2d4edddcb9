import { existsSync } from "node:fs";
import { connectJetStreamBus } from "@ark/bus";
import { testNats, testPostgres } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { describe, expect, it } from "vitest";
import { startArkStack } from "./stack.js";

describe.skipIf(!testPostgres())("startArkStack", () => {
  it("serves ark-apiserver to what a test starts on it until stop, which stops those first, latest first, and leaves nothing behind", async () => {
    const stack = await startArkStack({ label: "test-stack" });
    await stack.ark.agents.create({ metadata: { name: "helper", namespace: "default" }, spec: { prompt: "You help." } });
    const stopped: string[] = [];
    const stillServed = async () => (await stack.ark.agents.get("default", "helper"))?.metadata.name;
    stack.onStop(async () => void stopped.push(`first: ${await stillServed()}`));
    stack.onStop(async () => void stopped.push(`second: ${await stillServed()}`));
    await stack.stop();
    expect(stopped).toEqual(["second: helper", "first: helper"]);
    await expect(stack.ark.agents.get("default", "helper")).rejects.toThrow();
    expect(existsSync(stack.arkHome)).toBe(false);
  });

  it.skipIf(!testNats())("gives a service that opens the bus itself (from busEnv) the stack's JetStream streams", async () => {
    const stack = await startArkStack({ label: "test-stack-nats", natsUrl: testNats()!.url });
    const env = stack.busEnv;
    const other = await connectJetStreamBus<QueryEvent>({ servers: env.NATS_URL!, streamPrefix: env.NATS_STREAM_PREFIX!, subjectPrefix: env.NATS_SUBJECT_PREFIX! });
    try {
      const ref = { namespace: "default", name: "q", queryUid: "u-1" };
      await stack.bus.publishEvent(ref, { type: "target.started", time: new Date().toISOString(), target: { type: "agent", name: "helper" } });
      expect((await other.lastEvent(ref))?.event.type).toBe("target.started");
    } finally {
      await other.close();
      await stack.stop();
    }
  });
});
