import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryQueryBus } from "@ark/bus";
import { apiServerConfig, start as startApiServer, type RunningApiServer } from "@ark/ark-apiserver";
import { loadConfig } from "@ark/service-kit";
import { createTestDatabase, type TestDatabase } from "@ark/testing/vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { arkApiConfig } from "../config.js";
import { start, type RunningArkApi } from "../server.js";

/** ark-apiserver on a fresh database plus an ark-api in front of it, sharing one in-process bus. */
export interface TestStack {
  apiServer: RunningApiServer;
  api: RunningArkApi;
  bus: MemoryQueryBus;
  kubeConfig: KubeConfig;
  /** fetch against ark-api with JSON in and out. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  /** Another ark-api on the same apiserver and bus, with other settings. */
  startApi(env: Record<string, string>): Promise<RunningArkApi>;
  close(): Promise<void>;
}

export async function startTestStack(label: string, env: Record<string, string> = {}): Promise<TestStack> {
  const db: TestDatabase = await createTestDatabase({ label });
  const home = await mkdtemp(join(tmpdir(), "ark-api-"));
  const apiServer = await startApiServer(
    loadConfig(apiServerConfig, { PORT: "0", LOG_LEVEL: "warn", ARK_HOME: home, DATABASE_URL: db.url, DATABASE_POOL_SIZE: "5" }),
  );
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(apiServer.kubeconfigPath);
  const bus = new MemoryQueryBus();
  const apis: RunningArkApi[] = [];
  const startApi = async (overrides: Record<string, string>) => {
    const config = loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn", ARK_API_AUTH: "none", RATE_LIMIT_PER_MINUTE: "0", ...overrides });
    const running = await start(config, { bus, kubeConfig });
    apis.push(running);
    return running;
  };
  const api = await startApi(env);
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
    async close() {
      for (const running of apis) {
        // Tests need no graceful drain; a client that aborted mid-request can leave sockets server.close() waits on.
        running.service.app.server.closeAllConnections();
        await running.stop().catch(() => undefined);
      }
      await bus.close();
      await apiServer.stop();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
