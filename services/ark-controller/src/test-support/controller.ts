import type { QueryBus } from "@ark/bus";
import { loadConfig } from "@ark/service-kit";
import type { QueryEvent } from "@ark/types";
import { TEST_LOG_LEVEL, useArkStack } from "@ark/test-stack";
import { controllerConfig } from "../config.js";
import { start, type RunningController } from "../server.js";
import { beforeAll, beforeEach } from "vitest";
import { apiStackOf, type ApiStack } from "./api-stack.js";

/** Quick retries against the mock; real backoff would only slow the suite. */
export const FAST_RETRIES = { retry: { baseDelayMs: 10, maxDelayMs: 20 } };

/** ark-controller in this process against the stack's API, on the given bus. */
export function startTestController(stack: ApiStack, bus: QueryBus<QueryEvent>, env: Record<string, string> = {}): Promise<RunningController> {
  const config = loadConfig(controllerConfig, {
    PORT: "0",
    LOG_LEVEL: TEST_LOG_LEVEL,
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

export interface ControllerSuite {
  readonly stack: ApiStack;
  readonly bus: QueryBus<QueryEvent>;
  readonly controller: RunningController;
}

/**
 * A suite's API stack (apiserver + mock model), in-process bus and controller, started in beforeAll and stopped in
 * afterAll; the mock's script is reset before each test. Read the fields inside tests (they are set once beforeAll ran).
 * Hooks a suite registers after this one run after it starts and, for afterAll, before it stops.
 */
export function useControllerSuite(env: Record<string, string> = {}): ControllerSuite {
  const state: Partial<{ -readonly [K in keyof ControllerSuite]: ControllerSuite[K] }> = {};
  const suite = useArkStack({ label: "ark-controller" });
  beforeAll(async () => {
    state.stack = apiStackOf(suite.stack);
    state.bus = state.stack.bus;
    const controller = await startTestController(state.stack, state.bus, env);
    suite.stack.onStop(() => controller.stop());
    state.controller = controller;
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
