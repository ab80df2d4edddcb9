import { MemoryQueryBus, type QueryBus } from "@ark/bus";
import type { Query } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { isFinishedQueryPhase, type QueryEvent } from "@ark/types";
import { controllerConfig } from "../config.js";
import { start, type RunningController } from "../server.js";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startApiStack, type ApiStack } from "./api-stack.js";

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

export const finished = (q: Query): boolean => isFinishedQueryPhase(q.status?.phase);

export async function waitForGone(stack: ApiStack, namespace: string, name: string): Promise<void> {
  while (await stack.resources.ark.queries.get(namespace, name)) await new Promise((resolve) => setTimeout(resolve, 50));
}

export interface ControllerSuite {
  readonly stack: ApiStack;
  readonly bus: MemoryQueryBus<QueryEvent>;
  readonly controller: RunningController;
}

/**
 * A suite's API stack (apiserver + mock model), in-process bus and controller, started in beforeAll and stopped in
 * afterAll; the mock's script is reset before each test. Read the fields inside tests (they are set once beforeAll ran).
 * Hooks a suite registers after this one run after it starts and, for afterAll, before it stops.
 */
export function useControllerSuite(env: Record<string, string> = {}): ControllerSuite {
  const state: Partial<{ -readonly [K in keyof ControllerSuite]: ControllerSuite[K] }> = {};
  beforeAll(async () => {
    state.stack = await startApiStack();
    state.bus = new MemoryQueryBus<QueryEvent>();
    state.controller = await startTestController(state.stack, state.bus, env);
  });
  afterAll(async () => {
    await state.controller?.stop();
    await state.bus?.close();
    await state.stack?.close();
  });
  beforeEach(() => state.stack?.mock.reset());
  const started = <K extends keyof ControllerSuite>(key: K): ControllerSuite[K] => {
    const value = state[key];
    if (!value) throw new Error("useControllerSuite: the stack starts in beforeAll");
    return value as ControllerSuite[K];
  };
  return {
    get stack() {
      return started("stack");
    },
    get bus() {
      return started("bus");
    },
    get controller() {
      return started("controller");
    },
  };
}
