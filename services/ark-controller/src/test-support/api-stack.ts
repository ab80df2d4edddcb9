import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiServerConfig, start as startApiServer, type RunningApiServer } from "@ark/ark-apiserver";
import { loadConfig } from "@ark/service-kit";
import { startMockModel, type MockModel } from "@ark/testing";
import { createTestDatabase } from "@ark/testing/vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { arkResources, type ArkResources } from "../resources.js";

export interface ApiStack {
  api: RunningApiServer;
  kubeconfigPath: string;
  kc: KubeConfig;
  mock: MockModel;
  resources: ArkResources;
  close(): Promise<void>;
}

/** ark-apiserver on its own database plus the mock model: what every integration test of this service runs on. */
export async function startApiStack(): Promise<ApiStack> {
  const database = await createTestDatabase();
  const arkHome = await mkdtemp(join(tmpdir(), "ark-controller-test-"));
  const api = await startApiServer(
    loadConfig(apiServerConfig, {
      PORT: "0",
      LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn",
      ARK_HOME: arkHome,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: "5",
    }),
  );
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const mock = await startMockModel();
  return {
    api,
    kubeconfigPath: api.kubeconfigPath,
    kc,
    mock,
    resources: arkResources(kc),
    async close() {
      await mock.close();
      await api.stop();
      await database.drop();
      await rm(arkHome, { recursive: true, force: true });
    },
  };
}
