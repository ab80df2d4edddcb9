import { setTimeout as delay } from "node:timers/promises";
import { collectionPath, watchFor, type ArkClient, type Query } from "@ark/kube";
import { isFinishedQueryPhase, queryKind } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";

const isFinished = (query: Query | undefined): boolean => isFinishedQueryPhase(query?.status?.phase);

/**
 * Resolves with the Query once its phase is final, from a watch on that one object. Catches what the bus
 * never carries: a query the controller ended itself (references missing, deadline passed, canceled).
 * Undefined when the signal aborts or the Query is deleted.
 */
export async function watchUntilFinished(kc: KubeConfig, ark: ArkClient, namespace: string, name: string, signal: AbortSignal): Promise<Query | undefined> {
  const watch = watchFor(kc);
  const path = collectionPath(queryKind, namespace);
  while (!signal.aborted) {
    const current = await ark.queries.get(namespace, name);
    if (!current || isFinished(current)) return current;
    const seen = await new Promise<Query | "restart" | undefined>((resolve) => {
      let request: AbortController | undefined;
      const stop = (result: Query | "restart" | undefined): void => {
        signal.removeEventListener("abort", onAbort);
        request?.abort();
        resolve(result);
      };
      const onAbort = (): void => stop(undefined);
      signal.addEventListener("abort", onAbort, { once: true });
      const params = { fieldSelector: `metadata.name=${name}`, resourceVersion: current.metadata.resourceVersion, allowWatchBookmarks: true };
      watch
        .watch(
          path,
          params,
          (type, obj: Query) => {
            if (type === "DELETED") stop(undefined);
            else if ((type === "ADDED" || type === "MODIFIED") && isFinished(obj)) stop(obj);
          },
          () => stop("restart"),
        )
        .then(
          (controller) => {
            request = controller;
            if (signal.aborted) controller.abort();
          },
          () => stop("restart"),
        );
    });
    if (seen !== "restart") return seen;
    // The watch ended (server timeout, 410): pause briefly, then read the object again and re-watch.
    await delay(200, undefined, { ref: false });
  }
  return undefined;
}
