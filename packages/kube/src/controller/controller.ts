import type { KubernetesObject } from "@kubernetes/client-node";
import type { BackoffOptions } from "@ark/types";
import type { InformerCache, InformerEvent } from "../informer/informer-cache.js";
import { consoleLogger, type KubeLogger } from "../logger.js";
import { keyOf } from "../resource.js";
import { createWorkQueue, type ProcessResult } from "../workqueue/work-queue.js";

export type ReconcileResult = ProcessResult;

export interface ControllerOptions {
  /** Names the controller in logs. */
  name: string;
  /** Level-triggered: read the current state (informer caches) for `namespace/name`, converge, be safe to repeat. */
  reconcile(key: string): Promise<ReconcileResult | void>;
  concurrency?: number;
  backoff?: BackoffOptions;
  log?: KubeLogger;
  /** Told how long each reconcile took and whether it failed (the controller's metrics, docs/architecture.md §9.2). */
  observer?: ReconcileObserver;
}

export interface ReconcileObserver {
  reconciled(controller: string, seconds: number, failed: boolean): void;
}

export interface Controller {
  /**
   * Reconciles on every add, update and delete the informer reports: the object's own key, or the keys
   * `map` returns (an Evaluator controller watching Queries maps a query to the evaluators it matches).
   */
  watch<T extends KubernetesObject>(informer: InformerCache<T>, map?: (obj: T) => readonly string[]): Controller;
  enqueue(key: string): void;
  enqueueAfter(key: string, ms: number): void;
  /** Starts the watched informers (starting a shared one twice is harmless), waits for their sync, then the workers. */
  start(): Promise<void>;
  /** Unsubscribes and waits for running reconciles; informers are left to whoever created them. */
  stop(): Promise<void>;
  /** Keys waiting to be reconciled (not counting delayed ones or those being reconciled). */
  depth(): number;
}

const EVENTS: readonly InformerEvent[] = ["add", "update", "delete"];

export function createController(options: ControllerOptions): Controller {
  const log = options.log ?? consoleLogger;
  const observer = options.observer;
  const reconcile: ControllerOptions["reconcile"] = observer
    ? async (key) => {
        const started = performance.now();
        let failed = true;
        try {
          const result = await options.reconcile(key);
          failed = false;
          return result;
        } finally {
          observer.reconciled(options.name, (performance.now() - started) / 1000, failed);
        }
      }
    : options.reconcile;
  const queue = createWorkQueue(reconcile, {
    concurrency: options.concurrency,
    backoff: options.backoff,
    onError: (key, err, retryInMs) => log.error({ controller: options.name, key, err: err instanceof Error ? err.message : String(err), retryInMs }, "reconcile failed"),
  });
  const sources: { informer: InformerCache<KubernetesObject>; keysOf: (obj: KubernetesObject, key: string) => readonly string[] }[] = [];
  const unsubscribes: (() => void)[] = [];

  const controller: Controller = {
    watch<T extends KubernetesObject>(informer: InformerCache<T>, map?: (obj: T) => readonly string[]) {
      const keysOf = (obj: T, key: string) => (map ? map(obj) : [key]);
      sources.push({ informer, keysOf } as unknown as (typeof sources)[number]);
      for (const event of EVENTS) {
        unsubscribes.push(informer.on(event, (obj, key) => keysOf(obj, key).forEach(queue.add)));
      }
      return controller;
    },
    enqueue: (key) => queue.add(key),
    enqueueAfter: (key, ms) => queue.addAfter(key, ms),
    async start() {
      await Promise.all(sources.map(({ informer }) => informer.start()));
      // An informer synced before watch() subscribed reported its objects to nobody: enqueue them all.
      for (const { informer, keysOf } of sources) {
        for (const obj of informer.list()) keysOf(obj, keyOf(obj)).forEach(queue.add);
      }
      queue.start();
      log.info({ controller: options.name }, "controller started");
    },
    async stop() {
      unsubscribes.splice(0).forEach((unsubscribe) => unsubscribe());
      await queue.shutDown();
    },
    depth: () => queue.length(),
  };
  return controller;
}
