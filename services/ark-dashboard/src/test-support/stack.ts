import { join } from "node:path";
import { start as startArkApi, arkApiConfig, type RunningArkApi } from "@ark/ark-api";
import { controllerConfig, start as startController } from "@ark/ark-controller";
import { memoryConfig, start as startMemory, type RunningMemoryService } from "@ark/postgres-memory";
import { loadConfig } from "@ark/service-kit";
import { startArkStack, TEST_LOG_LEVEL as logLevel } from "@ark/test-stack";
import type { MockModel } from "@ark/testing";
import type { KubeConfig } from "@kubernetes/client-node";
import { buildApp } from "../build-app.js";
import { dashboardConfig, start as startDashboard, type RunningDashboard } from "../server.js";
import { startTestOidcIssuer, type TestOidcIssuer } from "./oidc-issuer.js";

/** ark-apiserver, ark-controller, ark-api (API keys on) and postgres-memory with the mock model, and the dashboard (built from these sources) in front. */
export interface DashboardStack {
  dashboard: RunningDashboard;
  arkApi: RunningArkApi;
  kubeConfig: KubeConfig;
  mock: MockModel;
  /** postgres-memory (token auth with the secret the controller and ark-api share): conversations of queries with a Memory at its URL. */
  memory: RunningMemoryService;
  adminKey: string;
  /** ark-api takes its tokens (audience ark-api, namespace default) beside API keys; the dashboard signs in with it. */
  oidc: TestOidcIssuer;
  /** JSON to and from ark-api as the admin. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startDashboardStack(): Promise<DashboardStack> {
  const stack = await startArkStack({ label: "ark-dashboard" });
  const { kubeConfig, bus, mock } = stack;
  // The browser tests stop the stack whatever state they left it in.
  const onStop = (stop: () => Promise<unknown>) => stack.onStop(() => stop().catch(() => undefined));
  const close = () => stack.stop();
  try {
    const appDir = join(stack.arkHome, "web");
    const built = buildApp(appDir);
    const memorySecret = "m".repeat(40);
    const memoryDb = await stack.database("ark-dashboard-memory");
    const memory = await startMemory(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: logLevel, DATABASE_URL: memoryDb.url, MEMORY_AUTH_SECRET: memorySecret }));
    onStop(() => memory.stop());
    const controller = await startController(
      loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL: logLevel, LEADER_ELECTION: "false", QUERY_REFERENCE_WAIT: "5s", WORKER_CONCURRENCY: "4", MEMORY_AUTH_SECRET: memorySecret }),
      { bus, kubeConfig, providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } } },
    );
    onStop(() => controller.stop());
    const adminKey = `ark_admin_${"k".repeat(32)}`;
    const oidc = await startTestOidcIssuer({ audience: "ark-api", claims: { ark_namespaces: ["default"] } });
    onStop(() => oidc.close());
    const arkApi = await startArkApi(
      loadConfig(arkApiConfig, {
        PORT: "0",
        LOG_LEVEL: logLevel,
        ARK_API_AUTH: "apikey,oidc",
        ARK_API_ADMIN_KEY: adminKey,
        OIDC_ISSUER: oidc.url,
        OIDC_JWKS_URL: `${oidc.url}/jwks`,
        OIDC_AUDIENCE: "ark-api",
        RATE_LIMIT_PER_MINUTE: "0",
        MEMORY_AUTH_SECRET: memorySecret,
      }),
      { bus, kubeConfig },
    );
    onStop(async () => {
      arkApi.service.app.server.closeAllConnections();
      await arkApi.stop();
    });
    await built;
    const dashboard = await startDashboard(loadConfig(dashboardConfig, { PORT: "0", LOG_LEVEL: logLevel, ARK_API_URL: arkApi.url, DASHBOARD_STATIC_DIR: appDir, OIDC_ISSUER: oidc.url, OIDC_CLIENT_ID: "ark-dashboard" }));
    onStop(async () => {
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
    return { dashboard, arkApi, kubeConfig, mock, memory, adminKey, oidc, call, close };
  } catch (err) {
    await close();
    throw err;
  }
}
