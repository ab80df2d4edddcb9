import { apiValueSourceReader, createCoreClient, readThrough, type InformerCache, type KindClient, type KubeLogger, type ValueSourceReader } from "@ark/kube";
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { referenceCaches } from "../reconcilers/caches.js";
import { arkResources, type ArkResources } from "../resources.js";

export interface CachedResources {
  resources: ArkResources;
  stop(): Promise<void>;
}

/**
 * What a worker reads for every run (Agents, Teams, Models, Tools, MCPServers, Memories, and the Secrets,
 * ConfigMaps and Services their values come from) served from informer caches instead of a GET per run, with a
 * GET when the cache misses (or has not synced yet), so an object created a moment ago is still found. Queries
 * and label-selector lists still go to the API. The caches sync in the background; until then every read is a GET.
 */
export function cachedResources(kc: KubeConfig, log: KubeLogger): CachedResources {
  const caches = referenceCaches(kc, log);
  const api = apiValueSourceReader(createCoreClient(kc));
  const values: ValueSourceReader = {
    getSecret: readThrough(caches.secrets, api.getSecret),
    getConfigMap: readThrough(caches.configMaps, api.getConfigMap),
    getService: readThrough(caches.services, api.getService),
  };
  const { ark, ...fromApi } = arkResources(kc, values);
  const resources: ArkResources = {
    ...fromApi,
    ark: {
      ...ark,
      agents: cachedGet(ark.agents, caches.agents),
      teams: cachedGet(ark.teams, caches.teams),
      models: cachedGet(ark.models, caches.models),
      tools: cachedGet(ark.tools, caches.tools),
      mcpServers: cachedGet(ark.mcpServers, caches.mcpServers),
      memories: cachedGet(ark.memories, caches.memories),
    },
  };
  for (const cache of Object.values(caches)) void cache.start();
  return { resources, stop: () => Promise.all(Object.values(caches).map((cache) => cache.stop())).then(() => undefined) };
}

function cachedGet<C extends KindClient<unknown, unknown, unknown>, T extends KubernetesObject>(client: C, cache: InformerCache<T>): C {
  return { ...client, get: readThrough(cache, client.get as (namespace: string, name: string) => Promise<T | undefined>) };
}
