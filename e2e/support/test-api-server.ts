import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiServerConfig, start } from "@ark/ark-apiserver";
import { createTestDatabase } from "@ark/testing/vitest";
import { loadKubeConfig } from "@ark/kube";
import type { KubeConfig } from "@kubernetes/client-node";

export interface TestApiServer {
  kc: KubeConfig;
  /** ARK_APISERVER_SOCKET and the token, when started with `{ socket: true }`. */
  socket?: { path: string; token: string };
  stop(): Promise<void>;
}

/** A real ark-apiserver in this process (HTTPS, bearer token) on a fresh database, reached through the kubeconfig it writes. */
export async function startTestApiServer(label: string, options: { socket?: boolean } = {}): Promise<TestApiServer> {
  const db = await createTestDatabase({ label });
  const home = await mkdtemp(join(tmpdir(), "ark-kube-"));
  const config = apiServerConfig.parse({
    PORT: "0",
    LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn",
    ARK_HOME: home,
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: "5",
    WATCH_BOOKMARK_INTERVAL: "1s",
    ...(options.socket ? { ARK_APISERVER_SOCKET: join(home, "api.sock") } : {}),
  });
  const running = await start(config);
  return {
    kc: loadKubeConfig({ kubeconfigPath: running.kubeconfigPath }),
    ...(running.socketPath ? { socket: { path: running.socketPath, token: running.token } } : {}),
    async stop() {
      await running.stop();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns something other than undefined. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const quietLog = { info() {}, warn() {}, error() {} };
