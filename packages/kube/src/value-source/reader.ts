import type { V1ConfigMap, V1Secret, V1Service } from "@kubernetes/client-node";
import type { CoreClient } from "../clients/core-client.js";
import { apiErrorMessage } from "../errors.js";
import type { InformerCache } from "../informer/informer-cache.js";

/** Where value sources read from; each answers undefined when the object does not exist. */
export interface ValueSourceReader {
  getSecret(namespace: string, name: string): Promise<V1Secret | undefined>;
  getConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  getService(namespace: string, name: string): Promise<V1Service | undefined>;
}

/** Reads straight from the API server; a refusal (403 as the impersonated identity…) says the API's message, not its raw reply. */
export function apiValueSourceReader(core: Pick<CoreClient, "secrets" | "configMaps" | "services">): ValueSourceReader {
  const read = async <T>(get: () => Promise<T>): Promise<T> => {
    try {
      return await get();
    } catch (err) {
      throw new Error(apiErrorMessage(err), { cause: err });
    }
  };
  return {
    getSecret: (namespace, name) => read(() => core.secrets.get(namespace, name)),
    getConfigMap: (namespace, name) => read(() => core.configMaps.get(namespace, name)),
    getService: (namespace, name) => read(() => core.services.get(namespace, name)),
  };
}

/** Reads from informer caches (started and synced by the caller), for reconcilers. */
export function cachedValueSourceReader(caches: { secrets: InformerCache<V1Secret>; configMaps: InformerCache<V1ConfigMap>; services: InformerCache<V1Service> }): ValueSourceReader {
  return {
    getSecret: async (namespace, name) => caches.secrets.get(namespace, name),
    getConfigMap: async (namespace, name) => caches.configMaps.get(namespace, name),
    getService: async (namespace, name) => caches.services.get(namespace, name),
  };
}
