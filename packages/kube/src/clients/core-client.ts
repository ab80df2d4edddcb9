import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1ConfigMap, type V1Namespace, type V1ObjectMeta, type V1Secret, type V1Service } from "@kubernetes/client-node";
import { isConflict, isNotFound } from "../errors.js";
import type { ListOptions } from "./kind-client.js";

/** The few verbs ARK needs on a core kind; `get` answers undefined and `delete` false when absent. */
export interface CoreKindClient<T extends { metadata?: V1ObjectMeta }> {
  get(namespace: string, name: string): Promise<T | undefined>;
  list(namespace: string | undefined, options?: ListOptions): Promise<T[]>;
  create(obj: T): Promise<T>;
  replace(obj: T): Promise<T>;
  patch(namespace: string, name: string, mergePatch: object): Promise<T>;
  delete(namespace: string, name: string): Promise<boolean>;
}

interface Ref {
  namespace: string;
  name: string;
}

interface CoreVerbs<T> {
  read(ref: Ref): Promise<T>;
  listIn(p: { namespace: string } & ListOptions): Promise<{ items: T[] }>;
  listAll(p: ListOptions): Promise<{ items: T[] }>;
  create(p: { namespace: string; body: T }): Promise<T>;
  replace(p: Ref & { body: T }): Promise<T>;
  patch(p: Ref & { body: object }, options: typeof mergePatch): Promise<T>;
  remove(ref: Ref): Promise<unknown>;
}

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

function coreKindClient<T extends { metadata?: V1ObjectMeta }>(verbs: CoreVerbs<T>): CoreKindClient<T> {
  const refOf = (obj: T): Ref => ({ namespace: obj.metadata?.namespace ?? "", name: obj.metadata?.name ?? "" });
  return {
    async get(namespace, name) {
      try {
        return await verbs.read({ namespace, name });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async list(namespace, options = {}) {
      return (namespace ? await verbs.listIn({ namespace, ...options }) : await verbs.listAll(options)).items;
    },
    create: (obj) => verbs.create({ namespace: refOf(obj).namespace, body: obj }),
    replace: (obj) => verbs.replace({ ...refOf(obj), body: obj }),
    patch: (namespace, name, body) => verbs.patch({ namespace, name, body }, mergePatch),
    async delete(namespace, name) {
      try {
        await verbs.remove({ namespace, name });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
  };
}

/** Secrets, ConfigMaps and Services (value sources), and Namespaces. */
export function createCoreClient(kc: KubeConfig) {
  const api = kc.makeApiClient(CoreV1Api);
  return {
    api,
    secrets: coreKindClient<V1Secret>({
      read: (p) => api.readNamespacedSecret(p),
      listIn: (p) => api.listNamespacedSecret(p),
      listAll: (p) => api.listSecretForAllNamespaces(p),
      create: (p) => api.createNamespacedSecret(p),
      replace: (p) => api.replaceNamespacedSecret(p),
      patch: (p, o) => api.patchNamespacedSecret(p, o),
      remove: (p) => api.deleteNamespacedSecret(p),
    }),
    configMaps: coreKindClient<V1ConfigMap>({
      read: (p) => api.readNamespacedConfigMap(p),
      listIn: (p) => api.listNamespacedConfigMap(p),
      listAll: (p) => api.listConfigMapForAllNamespaces(p),
      create: (p) => api.createNamespacedConfigMap(p),
      replace: (p) => api.replaceNamespacedConfigMap(p),
      patch: (p, o) => api.patchNamespacedConfigMap(p, o),
      remove: (p) => api.deleteNamespacedConfigMap(p),
    }),
    services: coreKindClient<V1Service>({
      read: (p) => api.readNamespacedService(p),
      listIn: (p) => api.listNamespacedService(p),
      listAll: (p) => api.listServiceForAllNamespaces(p),
      create: (p) => api.createNamespacedService(p),
      replace: (p) => api.replaceNamespacedService(p),
      patch: (p, o) => api.patchNamespacedService(p, o),
      remove: (p) => api.deleteNamespacedService(p),
    }),
    /** Creates the namespace unless it exists. */
    async ensureNamespace(name: string): Promise<V1Namespace> {
      try {
        return await api.readNamespace({ name });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      try {
        return await api.createNamespace({ body: { metadata: { name } } });
      } catch (err) {
        if (isConflict(err)) return api.readNamespace({ name });
        throw err;
      }
    },
  };
}

export type CoreClient = ReturnType<typeof createCoreClient>;
