import { randomBytes } from "node:crypto";
import type { BusHarness } from "../conformance.js";
import type { RunSettings } from "../run-settings.js";
import { connectJetStreamBus, type JetStreamBusOptions, type JetStreamQueryBus } from "./jetstream-bus.js";
import { deleteBusStreams } from "./streams.js";

/** Unique stream and subject prefixes, so test files and runs never share streams. */
export function uniquePrefixes(label: string): Pick<JetStreamBusOptions, "streamPrefix" | "subjectPrefix"> {
  const id = randomBytes(4).toString("hex");
  return { streamPrefix: `T${label.toUpperCase()}_${id}`, subjectPrefix: `t${label}.${id}` };
}

/** A bus on fresh streams; peers are other connections to the same streams; dispose deletes the streams. */
export async function openTestJetStreamBus(servers: string, label: string, runs: RunSettings): Promise<BusHarness & { bus: JetStreamQueryBus; options: JetStreamBusOptions }> {
  const options: JetStreamBusOptions = { servers, ...uniquePrefixes(label), runs, connection: { name: `ark-bus-test-${label}` } };
  const buses: JetStreamQueryBus[] = [await connectJetStreamBus(options)];
  return {
    options,
    bus: buses[0] as JetStreamQueryBus,
    peer: async () => {
      const peer = await connectJetStreamBus(options);
      buses.push(peer);
      return peer;
    },
    dispose: async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      await deleteBusStreams(servers, options.streamPrefix as string);
    },
  };
}
