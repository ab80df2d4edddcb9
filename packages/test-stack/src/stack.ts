import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiServerConfig, start as startApiServer, type ApiServerOptions, type RunningApiServer } from "@ark/ark-apiserver";
import type { QueryBus } from "@ark/bus";
import { createArkClient, createCoreClient, type ArkClient, type CoreClient } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { startMockModel, type MockModel } from "@ark/testing";
import { createTestDatabase, type TestDatabase } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { KubeConfig } from "@kubernetes/client-node";
import { openTestBus, type TestRunSettings } from "./bus.js";

/** LOG_LEVEL of every service a test starts: quiet unless ARK_TEST_LOG_LEVEL asks for more. */
export const TEST_LOG_LEVEL = process.env.ARK_TEST_LOG_LEVEL ?? "warn";

export interface ArkStackOptions {
  /** Names the stack's databases in Postgres, so a run's leftovers say whose they are. */
  label?: string;
  /** JetStream at this URL on fresh streams (deleted by stop); the in-process bus when absent. */
  natsUrl?: string | undefined;
  /** Run settings of the bus (ack wait, deliveries); redeliveries then come after 50 ms. */
  runs?: TestRunSettings;
  /** ark-apiserver's environment beyond the stack's (PORT 0, its own ARK_HOME and database). */
  apiServerEnv?: Record<string, string>;
  apiServerOptions?: ApiServerOptions;
  /** ark-apiserver also serves its Unix socket (ARK_APISERVER_SOCKET) at `api.sock` under ARK_HOME. */
  socket?: boolean;
}

/** ark-apiserver on a fresh database, a query bus and the mock model; what a service's integration tests run on. */
export interface ArkStack {
  apiServer: RunningApiServer;
  /** The admin kubeconfig ark-apiserver wrote (HTTPS, its CA, a bearer token). */
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  ark: ArkClient;
  core: CoreClient;
  /** ARK_HOME of the stack (ark-apiserver's CA and token); services that keep state may share it. */
  arkHome: string;
  bus: QueryBus<QueryEvent>;
  /** Environment for a service that opens the same bus itself (NATS_URL and prefixes on JetStream; run settings). */
  busEnv: Record<string, string>;
  mock: MockModel;
  /** Another fresh database (a service's own: memory, tasks), dropped by stop. */
  database(label: string): Promise<TestDatabase>;
  /** Registers how to stop something started on the stack; stop runs these first, the latest first. */
  onStop(stop: () => Promise<unknown>): void;
  /** Stops what was registered, then the mock, the bus and ark-apiserver, and drops the databases. */
  stop(): Promise<void>;
}

export async function startArkStack(options: ArkStackOptions = {}): Promise<ArkStack> {
  const label = options.label ?? "ark-stack";
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    let failure: unknown;
    for (const step of stops.splice(0).reverse()) await step().catch((err: unknown) => (failure ??= err));
    if (failure !== undefined) throw failure;
  };
  const database = async (name: string) => {
    const db = await createTestDatabase({ label: name });
    stops.push(() => db.drop());
    return db;
  };
  try {
    const arkHome = await mkdtemp(join(tmpdir(), `${label}-`));
    stops.push(() => rm(arkHome, { recursive: true, force: true }));
    const db = await database(label);
    const apiServer = await startApiServer(
      loadConfig(apiServerConfig, {
        PORT: "0",
        LOG_LEVEL: TEST_LOG_LEVEL,
        ARK_HOME: arkHome,
        DATABASE_URL: db.url,
        DATABASE_POOL_SIZE: "5",
        ...(options.socket ? { ARK_APISERVER_SOCKET: join(arkHome, "api.sock") } : {}),
        ...options.apiServerEnv,
      }),
      options.apiServerOptions,
    );
    stops.push(() => apiServer.stop());
    const bus = await openTestBus(options.natsUrl, options.runs);
    stops.push(() => bus.dispose());
    const mock = await startMockModel();
    stops.push(() => mock.close());
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(apiServer.kubeconfigPath);
    return {
      apiServer,
      kubeconfigPath: apiServer.kubeconfigPath,
      kubeConfig,
      ark: createArkClient(kubeConfig),
      core: createCoreClient(kubeConfig),
      arkHome,
      bus: bus.bus,
      busEnv: bus.env,
      mock,
      database,
      onStop: (step) => void stops.push(step),
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
