import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { createTestDatabase, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll } from "vitest";
import { loadConfig } from "@ark/service-kit";
import { apiServerConfig } from "../config.js";
import { start, type ApiServerOptions, type RunningApiServer } from "../server.js";

export interface TestApiServer extends RunningApiServer {
  /** A client-node KubeConfig loaded from the kubeconfig the server wrote (TLS verified, bearer token). */
  kubeConfig(namespace?: string): KubeConfig;
  close(): Promise<void>;
}

/** ark-apiserver on a free port over HTTPS, on the given database, with its state under `arkHome`. */
export async function startApiServerForTest(options: { databaseUrl: string; arkHome: string; env?: Record<string, string>; serverOptions?: ApiServerOptions }): Promise<TestApiServer> {
  const config = loadConfig(apiServerConfig, {
    PORT: "0",
    LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn",
    ARK_HOME: options.arkHome,
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: "5",
    ...options.env,
  });
  const running = await start(config, options.serverOptions);
  return {
    ...running,
    kubeConfig(namespace = "default") {
      const kc = new KubeConfig();
      kc.loadFromFile(running.kubeconfigPath);
      const context = kc.getCurrentContext();
      kc.contexts = kc.contexts.map((c) => (c.name === context ? { ...c, namespace } : c));
      return kc;
    },
    close: () => running.stop(),
  };
}

/**
 * A suite's own database, ARK_HOME and server, created in beforeAll and removed in afterAll.
 * Read `suite.server` inside tests (it is set once beforeAll ran).
 */
export function useApiServerSuite(label: string): { readonly server: TestApiServer } {
  const state: { server?: TestApiServer; db?: TestDatabase; home?: string } = {};
  beforeAll(async () => {
    state.db = await createTestDatabase({ label });
    state.home = await mkdtemp(join(tmpdir(), "ark-apiserver-"));
    state.server = await startApiServerForTest({ databaseUrl: state.db.url, arkHome: state.home });
  });
  afterAll(async () => {
    await state.server?.close();
    await state.db?.drop();
    if (state.home) await rm(state.home, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!state.server) throw new Error("useApiServerSuite: the server starts in beforeAll");
      return state.server;
    },
  };
}
