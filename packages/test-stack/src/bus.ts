import { randomBytes } from "node:crypto";
import { connectJetStreamBus, deleteBusStreams, MemoryQueryBus, type QueryBus, type RunSettings } from "@ark/bus";
import type { QueryEvent } from "@ark/types";

export interface TestBus {
  kind: "memory" | "jetstream";
  bus: QueryBus<QueryEvent>;
  /** Environment for a service (or child process) that opens the same bus itself: NATS_URL and the stream prefixes, run settings. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export type TestRunSettings = Pick<RunSettings, "ackWaitMs" | "maxDeliver">;

/** The in-process bus, or JetStream on fresh streams (deleted by dispose) when `natsUrl` is given; redeliveries after 50 ms. */
export async function openTestBus(natsUrl: string | undefined, runs?: TestRunSettings): Promise<TestBus> {
  const env: Record<string, string> = runs ? { RUN_ACK_WAIT: String(runs.ackWaitMs), MAX_DELIVER: String(runs.maxDeliver) } : {};
  const runOptions = runs ? { runs: { ...runs, retryDelayMs: () => 50 } } : {};
  if (!natsUrl) {
    const bus = new MemoryQueryBus<QueryEvent>(runOptions);
    return { kind: "memory", bus, env, dispose: () => bus.close() };
  }
  const id = randomBytes(4).toString("hex");
  const prefixes = { streamPrefix: `TARK_${id}`, subjectPrefix: `tark.${id}` };
  const bus = await connectJetStreamBus<QueryEvent>({ servers: natsUrl, ...prefixes, ...runOptions });
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
