import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start as startArkApi, arkApiConfig, type RunningArkApi } from "@ark/ark-api";
import { apiServerConfig, start as startApiServer, type RunningApiServer } from "@ark/ark-apiserver";
import { controllerConfig, start as startController, type RunningController } from "@ark/ark-controller";
import { MemoryQueryBus } from "@ark/bus";
import { loadConfig } from "@ark/service-kit";
import { startMockModel, type MockModel } from "@ark/testing";
import { createTestDatabase, type TestDatabase } from "@ark/testing/vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { buildApp } from "../build-app.js";
import { dashboardConfig, start as startDashboard, type RunningDashboard } from "../server.js";
import { startTestOidcIssuer, type TestOidcIssuer } from "./oidc-issuer.js";

/** ark-apiserver, ark-controller and ark-api (API keys on) with the mock model, and the dashboard (built from these sources) in front. */
export interface DashboardStack {
  dashboard: RunningDashboard;
  arkApi: RunningArkApi;
  kubeConfig: KubeConfig;
  mock: MockModel;
  adminKey: string;
  /** ark-api takes its tokens (audience ark-api, namespace default) beside API keys; the dashboard signs in with it. */
  oidc: TestOidcIssuer;
  /** JSON to and from ark-api as the admin. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startDashboardStack(): Promise<DashboardStack> {
  const logLevel = process.env.ARK_TEST_LOG_LEVEL ?? "warn";
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const home = await mkdtemp(join(tmpdir(), "ark-dashboard-"));
    closers.push(() => rm(home, { recursive: true, force: true }));
    const appDir = join(home, "web");
    const built = buildApp(appDir);
    const db: TestDatabase = await createTestDatabase({ label: "ark-dashboard" });
    closers.push(() => db.drop());
    const apiServer: RunningApiServer = await startApiServer(loadConfig(apiServerConfig, { PORT: "0", LOG_LEVEL: logLevel, ARK_HOME: home, DATABASE_URL: db.url, DATABASE_POOL_SIZE: "5" }));
    closers.push(() => apiServer.stop());
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(apiServer.kubeconfigPath);
    const bus = new MemoryQueryBus();
    closers.push(() => bus.close());
    const mock = await startMockModel();
    closers.push(() => mock.close());
    const controller: RunningController = await startController(
      loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL: logLevel, LEADER_ELECTION: "false", QUERY_REFERENCE_WAIT: "5s", WORKER_CONCURRENCY: "4" }),
      { bus: bus as never, kubeConfig, providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } } },
    );
    closers.push(() => controller.stop());
    const adminKey = `ark_admin_${"k".repeat(32)}`;
    const oidc = await startTestOidcIssuer({ audience: "ark-api", claims: { ark_namespaces: ["default"] } });
    closers.push(() => oidc.close());
    const arkApi = await startArkApi(
      loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL: logLevel, ARK_API_AUTH: "apikey,oidc", ARK_API_ADMIN_KEY: adminKey, OIDC_ISSUER: oidc.url, OIDC_JWKS_URL: `${oidc.url}/jwks`, OIDC_AUDIENCE: "ark-api", RATE_LIMIT_PER_MINUTE: "0" }),
      { bus, kubeConfig },
    );
    closers.push(async () => {
      arkApi.service.app.server.closeAllConnections();
      await arkApi.stop();
    });
    await built;
    const dashboard = await startDashboard(loadConfig(dashboardConfig, { PORT: "0", LOG_LEVEL: logLevel, ARK_API_URL: arkApi.url, DASHBOARD_STATIC_DIR: appDir, OIDC_ISSUER: oidc.url, OIDC_CLIENT_ID: "ark-dashboard" }));
    closers.push(async () => {
      dashboard.service.app.server.closeAllConnections();
      await dashboard.stop();
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${arkApi.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    return { dashboard, arkApi, kubeConfig, mock, adminKey, oidc, call, close };
  } catch (err) {
    await close();
    throw err;
  }
}
