import type { EventRetention } from "./event-retention.js";
import { connectJetStreamBus, type JetStreamBusOptions } from "./jetstream/jetstream-bus.js";
import { MemoryQueryBus } from "./memory/memory-bus.js";
import type { RunSettings } from "./run-settings.js";
import type { QueryBus } from "./types.js";

export interface OpenQueryBusOptions extends Omit<JetStreamBusOptions, "servers"> {
  /** NATS_URL; unset → the in-process bus (embedded mode). */
  natsUrl?: string | undefined;
  runs?: Partial<RunSettings>;
  events?: Partial<EventRetention>;
}

/** The bus a service should use: JetStream when a NATS URL is configured, else in-process. */
export async function openQueryBus<E = unknown>(options: OpenQueryBusOptions = {}): Promise<{ bus: QueryBus<E>; kind: "jetstream" | "memory" }> {
  const { natsUrl, ...rest } = options;
  if (natsUrl) return { bus: await connectJetStreamBus<E>({ ...rest, servers: natsUrl }), kind: "jetstream" };
  return { bus: new MemoryQueryBus<E>({ ...(rest.runs ? { runs: rest.runs } : {}), ...(rest.events ? { events: rest.events } : {}) }), kind: "memory" };
}
