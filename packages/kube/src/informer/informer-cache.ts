import { ListWatch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from "@kubernetes/client-node";
import { backoffDelay, type BackoffOptions, type KindDefinition } from "@ark/types";
import type { z } from "zod";
import type { ArkObject } from "../clients/ark-object.js";
import { apiErrorMessage } from "../errors.js";
import { consoleLogger, type KubeLogger } from "../logger.js";
import { collectionPath, keyOf, type ResourceRef } from "../resource.js";
import { watchFor } from "../clients/in-process-watch.js";
import { listRaw } from "./raw-list.js";
import { reflectorWatch, type WatchLike } from "./reflector-watch.js";

export type InformerEvent = "add" | "update" | "delete";

export interface InformerCache<T extends KubernetesObject> {
  readonly path: string;
  /** Resolves once the first list is in the cache; keeps retrying (with backoff) until then. */
  start(): Promise<void>;
  stop(): Promise<void>;
  hasSynced(): boolean;
  /** Cluster-scoped objects live under namespace "". */
  get(namespace: string, name: string): T | undefined;
  /** All namespaces when namespace is undefined. */
  list(namespace?: string): T[];
  /** Returns the unsubscribe function. A relist after 410 Gone reports what changed meanwhile as add/update/delete. */
  on(event: InformerEvent, handler: (obj: T, key: string) => void): () => void;
}

export interface InformerCacheOptions<T extends KubernetesObject> {
  /** Watch one namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  /** Delays between restarts after a failed list or watch. */
  backoff?: BackoffOptions;
  log?: KubeLogger;
  /** Test seams: the watch and list calls. */
  watch?: WatchLike;
  list?: (path: string, query: Record<string, string | undefined>) => Promise<KubernetesListObject<T>>;
}

const RESTART_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * A cache of one resource type over client-node's ListWatch, which relists on 410 Gone and resumes a watch
 * the server closed; this adds what it lacks: restart after any other error with backoff, and hasSynced.
 */
export function createInformerCache<S extends z.ZodType, U extends z.ZodType>(
  kc: KubeConfig,
  kind: KindDefinition<S, U>,
  options?: InformerCacheOptions<ArkObject<z.output<S>, z.output<U>>>,
): InformerCache<ArkObject<z.output<S>, z.output<U>>>;
export function createInformerCache<T extends KubernetesObject>(kc: KubeConfig, resource: ResourceRef, options?: InformerCacheOptions<T>): InformerCache<T>;
export function createInformerCache<T extends KubernetesObject>(kc: KubeConfig, resource: ResourceRef, options: InformerCacheOptions<T> = {}): InformerCache<T> {
  const path = collectionPath(resource, options.namespace);
  const log = options.log ?? consoleLogger;
  const list = options.list ?? ((p, query) => listRaw<T>(kc, p, query));
  const backoff = options.backoff ?? RESTART_BACKOFF;
  let stopped = true;
  let synced = false;
  let listed = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let markSynced: () => void = () => {};
  const syncedOnce = new Promise<void>((resolve) => (markSynced = resolve));

  const listWatch = new ListWatch<T>(
    path,
    reflectorWatch(options.watch ?? watchFor(kc)),
    async () => {
      const result = await list(path, { labelSelector: options.labelSelector });
      listed = true;
      failures = 0;
      return result;
    },
    false,
    options.labelSelector,
  );

  const onFailure = (err: unknown) => {
    if (stopped) return; // stop() aborts the watch, which reports an AbortError
    failures++;
    const retryInMs = backoffDelay(failures, backoff);
    log.warn({ path, err: apiErrorMessage(err), retryInMs }, "informer list/watch failed; restarting");
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void run(), retryInMs);
  };
  listWatch.on("error", onFailure);

  async function run(): Promise<void> {
    retryTimer = undefined;
    if (stopped) return;
    try {
      await listWatch.start();
    } catch (err) {
      onFailure(err);
    }
    if (listed && !synced && !stopped) {
      synced = true;
      markSynced();
    }
  }

  return {
    path,
    start() {
      if (stopped) {
        stopped = false;
        void run();
      }
      return syncedOnce;
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await listWatch.stop();
    },
    hasSynced: () => synced,
    get: (namespace, name) => listWatch.get(name, namespace || undefined),
    list: (namespace) => [...listWatch.list(namespace)],
    on(event, handler) {
      const callback = (obj: T) => {
        failures = 0;
        handler(obj, keyOf(obj));
      };
      listWatch.on(event, callback);
      return () => listWatch.off(event, callback);
    },
  };
}
