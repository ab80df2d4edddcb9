import type { QueryBus } from "@ark/bus";
import { loadConfig } from "@ark/service-kit";
import { startArkStack, TEST_LOG_LEVEL, type RunningApiServer } from "@ark/test-stack";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import { arkApiConfig } from "../config.js";
import { start, type RunningArkApi } from "../server.js";

/** ark-apiserver on a fresh database plus an ark-api in front of it, sharing one in-process bus. */
export interface TestStack {
  apiServer: RunningApiServer;
  api: RunningArkApi;
  bus: QueryBus<QueryEvent>;
  kubeConfig: KubeConfig;
  /** fetch against ark-api with JSON in and out. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  /** Another ark-api on the same apiserver and bus, with other settings. */
  startApi(env: Record<string, string>): Promise<RunningArkApi>;
  close(): Promise<void>;
}

export async function startTestStack(label: string, env: Record<string, string> = {}): Promise<TestStack> {
  const stack = await startArkStack({ label });
  const { apiServer, bus, kubeConfig } = stack;
  const startApi = async (overrides: Record<string, string>) => {
    const config = loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL: TEST_LOG_LEVEL, ARK_API_AUTH: "none", RATE_LIMIT_PER_MINUTE: "0", ...overrides });
    const running = await start(config, { bus, kubeConfig });
    stack.onStop(async () => {
      // Tests need no graceful drain; a client that aborted mid-request can leave sockets server.close() waits on.
      running.service.app.server.closeAllConnections();
      await running.stop().catch(() => undefined);
    });
    return running;
  };
  const api = await startApi(env).catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });
  return {
    apiServer,
    api,
    bus,
    kubeConfig,
    startApi,
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    close: () => stack.stop(),
  };
}
