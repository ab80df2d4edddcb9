import { AckPolicy, DeliverPolicy, DiscardPolicy, JetStreamApiError, jetstreamManager, RetentionPolicy, StorageType, type ConsumerConfig, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";
import type { BusSubjects } from "@ark/types";
import type { EventRetention } from "../event-retention.js";
import { EXHAUSTION_DELIVERIES, type RunSettings } from "../run-settings.js";
import { streamNames, type StreamNames } from "./names.js";

/** JetStream's "no limit" for a consumer's max_ack_pending. */
const UNLIMITED = -1;

export interface BusStreamPlan {
  runs: Partial<StreamConfig> & { name: string };
  events: Partial<StreamConfig> & { name: string };
  cancels: Partial<StreamConfig> & { name: string };
  workers: Partial<ConsumerConfig> & { durable_name: string };
}

/** Stream and consumer configs, kept within what nats-server 2.9 supports. */
export function busStreamPlan(names: StreamNames, subjects: BusSubjects, runs: RunSettings, events: EventRetention): BusStreamPlan {
  return {
    runs: {
      name: names.runs,
      subjects: [subjects.run],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(runs.duplicateWindowMs),
    },
    events: {
      name: names.events,
      subjects: [subjects.allEvents],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(events.maxAgeMs),
      max_bytes: events.maxBytes,
      max_msgs_per_subject: events.maxEventsPerQuery,
      // Lookups of a query's last event as direct gets: answered by the stream, not through the JetStream API's queue
      // and JSON envelope — about half the server's CPU per lookup (docs/architecture.md §3).
      allow_direct: true,
    },
    cancels: {
      name: names.cancels,
      subjects: [subjects.allCancels],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(events.maxAgeMs),
      max_msgs_per_subject: 1,
    },
    workers: {
      durable_name: names.workers,
      filter_subject: subjects.run,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(runs.ackWaitMs),
      // Deliveries past maxDeliver go to onExhausted (a dead last worker is noticed that way).
      max_deliver: runs.maxDeliver + EXHAUSTION_DELIVERIES,
      // Unlimited: each worker pulls only as many jobs as it has free slots; the server's default (1,000) would cap
      // all workers together at 1,000 runs in flight.
      max_ack_pending: UNLIMITED,
    },
  };
}

/** Creates the streams and the workers' consumer, or brings their settings up to date. */
export async function ensureBusStreams(jsm: JetStreamManager, plan: BusStreamPlan): Promise<void> {
  for (const config of [plan.runs, plan.events, plan.cancels]) {
    if (await exists(() => jsm.streams.info(config.name))) await jsm.streams.update(config.name, config);
    else await jsm.streams.add(config).catch(async () => jsm.streams.update(config.name, config));
  }
  const { durable_name, ...settings } = plan.workers;
  if (await exists(() => jsm.consumers.info(plan.runs.name, durable_name))) {
    const { ack_wait, max_deliver, max_ack_pending } = settings;
    await jsm.consumers.update(plan.runs.name, durable_name, { ack_wait, max_deliver, max_ack_pending });
  } else {
    await jsm.consumers.add(plan.runs.name, plan.workers);
  }
}

async function exists(lookup: () => Promise<unknown>): Promise<boolean> {
  try {
    await lookup();
    return true;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.status === 404) return false;
    throw error;
  }
}

/** Deletes a bus's streams (runs, events, cancels) and all they hold: for tests and stacks that used their own prefix. */
export async function deleteBusStreams(servers: string, streamPrefix: string): Promise<void> {
  const nc = await connect({ servers, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    const names = streamNames(streamPrefix);
    for (const stream of [names.runs, names.events, names.cancels]) await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}
