import type { QueryBus } from "@ark/bus";
import type { Query } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import type { QueryEvent } from "@ark/types";
import { controllerConfig } from "../config.js";
import { start, type RunningController } from "../server.js";
import type { ApiStack } from "./api-stack.js";

/** Quick retries against the mock; real backoff would only slow the suite. */
export const FAST_RETRIES = { retry: { baseDelayMs: 10, maxDelayMs: 20 } };

/** ark-controller in this process against the stack's API, on the given bus. */
export function startTestController(stack: ApiStack, bus: QueryBus<QueryEvent>, env: Record<string, string> = {}): Promise<RunningController> {
  const config = loadConfig(controllerConfig, {
    PORT: "0",
    LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn",
    KUBECONFIG: stack.kubeconfigPath,
    LEADER_ELECTION: "false",
    // Long enough for a test to apply the rest under a loaded machine, short enough to see the failure.
    QUERY_REFERENCE_WAIT: "5s",
    QUERY_DEADLINE_GRACE: "1s",
    WORKER_CONCURRENCY: "8",
    RECONCILE_CONCURRENCY: "8",
    ...env,
  });
  return start(config, { bus, kubeConfig: stack.kc, providerOptions: FAST_RETRIES });
}

/** Polls the Query until `done(query)`; the test's own timeout bounds the wait. */
export async function waitForQuery(stack: ApiStack, namespace: string, name: string, done: (q: Query) => boolean): Promise<Query> {
  for (;;) {
    const query = await stack.resources.ark.queries.get(namespace, name);
    if (query && done(query)) return query;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const finished = (q: Query): boolean => ["done", "error", "canceled"].includes(q.status?.phase ?? "");

export async function waitForGone(stack: ApiStack, namespace: string, name: string): Promise<void> {
  while (await stack.resources.ark.queries.get(namespace, name)) await new Promise((resolve) => setTimeout(resolve, 50));
}
