import type { KubeConfig } from "@kubernetes/client-node";
import type { QueryBus } from "@ark/bus";
import { createArkClient, createCoreClient, type ArkClient, type CoreClient } from "@ark/kube";
import type { ArkApiConfig } from "./config.js";
import { QueryEventFanout } from "./queries/query-event-fanout.js";
import { QueryFinishWatch } from "./queries/query-finish-watch.js";
import { StreamSlots } from "./queries/stream-slots.js";

/** What the routes work with: typed clients over the Kubernetes API and the query bus. */
export interface ApiContext {
  config: ArkApiConfig;
  kubeConfig: KubeConfig;
  ark: ArkClient;
  core: CoreClient;
  bus: QueryBus;
  /** Event streams open per principal (MAX_STREAMS_PER_PRINCIPAL). */
  streams: StreamSlots;
  /** The one Query watch every `?wait=` request (and the end of every event stream) is answered from. */
  finishedQueries: QueryFinishWatch;
  /** The one bus watch every event stream's live events come from. */
  queryEvents: QueryEventFanout;
}

export function createApiContext(config: ArkApiConfig, kubeConfig: KubeConfig, bus: QueryBus, log: { warn(obj: object, message: string): void }): ApiContext {
  const ark = createArkClient(kubeConfig);
  const finishedQueries = new QueryFinishWatch({ kubeConfig, get: (namespace, name, notOlderThan) => ark.queries.get(namespace, name, notOlderThan ? { notOlderThan } : {}) as Promise<never>, log });
  const queryEvents = new QueryEventFanout(bus, log, { recentBytes: config.EVENT_REPLAY_MB * 1024 * 1024 });
  return { config, kubeConfig, ark, core: createCoreClient(kubeConfig), bus, streams: new StreamSlots(config.MAX_STREAMS_PER_PRINCIPAL), finishedQueries, queryEvents };
}
