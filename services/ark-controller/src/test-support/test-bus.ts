import { randomBytes } from "node:crypto";
import { connectJetStreamBus, deleteBusStreams, MemoryQueryBus, type QueryBus, type RunSettings } from "@ark/bus";
import type { QueryEvent } from "@ark/types";

export interface TestBus {
  kind: "memory" | "jetstream";
  bus: QueryBus<QueryEvent>;
  /** Controller environment for another process (or controller) on the same bus. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** The in-process bus, or JetStream on fresh streams (deleted by dispose) when `natsUrl` is given. */
export async function openTestBus(natsUrl: string | undefined, runs: Pick<RunSettings, "ackWaitMs" | "maxDeliver">): Promise<TestBus> {
  const env = { RUN_ACK_WAIT: String(runs.ackWaitMs), MAX_DELIVER: String(runs.maxDeliver) };
  if (!natsUrl) {
    const bus = new MemoryQueryBus<QueryEvent>({ runs: { ...runs, retryDelayMs: () => 50 } });
    return { kind: "memory", bus, env, dispose: () => bus.close() };
  }
  const id = randomBytes(4).toString("hex");
  const prefixes = { streamPrefix: `TCTL_${id}`, subjectPrefix: `tctl.${id}` };
  const bus = await connectJetStreamBus<QueryEvent>({ servers: natsUrl, ...prefixes, runs: { ...runs, retryDelayMs: () => 50 } });
  return {
    kind: "jetstream",
    bus,
    env: { ...env, NATS_URL: natsUrl, NATS_STREAM_PREFIX: prefixes.streamPrefix, NATS_SUBJECT_PREFIX: prefixes.subjectPrefix },
    async dispose() {
      await bus.close();
      await deleteBusStreams(natsUrl, prefixes.streamPrefix);
    },
  };
}
