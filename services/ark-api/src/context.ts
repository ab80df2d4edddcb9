import type { KubeConfig } from "@kubernetes/client-node";
import type { QueryBus } from "@ark/bus";
import { createArkClient, createCoreClient, type ArkClient, type CoreClient } from "@ark/kube";
import type { ArkApiConfig } from "./config.js";
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
  /** The one Query watch every `?wait=` request is answered from. */
  finishedQueries: QueryFinishWatch;
}

export function createApiContext(config: ArkApiConfig, kubeConfig: KubeConfig, bus: QueryBus, log: { warn(obj: object, message: string): void }): ApiContext {
  const ark = createArkClient(kubeConfig);
  const finishedQueries = new QueryFinishWatch({ kubeConfig, get: (namespace, name) => ark.queries.get(namespace, name) as Promise<never>, log });
  return { config, kubeConfig, ark, core: createCoreClient(kubeConfig), bus, streams: new StreamSlots(config.MAX_STREAMS_PER_PRINCIPAL), finishedQueries };
}
