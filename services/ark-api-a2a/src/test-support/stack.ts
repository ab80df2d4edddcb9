import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory, RestTransportFactory, type Client } from "@a2a-js/sdk/client";
import { apiServerConfig, start as startApiServer, type RunningApiServer } from "@ark/ark-apiserver";
import { controllerConfig, start as startController, type RunningController } from "@ark/ark-controller";
import { MemoryQueryBus } from "@ark/bus";
import { createArkClient, createCoreClient, type ArkClient } from "@ark/kube";
import { memoryConfig, start as startMemory, type RunningMemoryService } from "@ark/postgres-memory";
import { ApiKeyStore, loadConfig } from "@ark/service-kit";
import { startMockModel, type MockModel } from "@ark/testing";
import { createTestDatabase, type TestDatabase } from "@ark/testing/vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { arkApiA2aConfig } from "../config.js";
import { start, type RunningArkApiA2a } from "../server.js";

export const ADMIN_KEY = "a2a-test-admin-key-0123456789";
const MEMORY_SECRET = "memory-secret-for-a2a-tests-0123456789";

/** ark-apiserver, the controller, the mock model, postgres-memory and ark-api-a2a on one in-process bus. */
export interface A2aStack {
  a2a: RunningArkApiA2a;
  mock: MockModel;
  ark: ArkClient;
  /** An ark-api API key for these namespaces (the Secret in ark-system, as ark-api makes it). */
  apiKey(namespaces: string[]): Promise<string>;
  /** Another ark-api-a2a on the same apiserver, bus and task database. */
  startReplica(): Promise<RunningArkApiA2a>;
  /** The SDK client of an agent, from its card, sending the admin key; JSON-RPC unless `binding` says HTTP+JSON. */
  client(baseUrl: string, binding?: "JSONRPC" | "HTTP+JSON"): Promise<Client>;
  close(): Promise<void>;
}

const authorized: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${ADMIN_KEY}`);
  return fetch(input, { ...init, headers });
};

export async function startA2aStack(label: string): Promise<A2aStack> {
  const databases: TestDatabase[] = [];
  const home = await mkdtemp(join(tmpdir(), "ark-a2a-"));
  const logLevel = process.env.ARK_TEST_LOG_LEVEL ?? "warn";
  const apiDb = await createTestDatabase({ label: `${label}-api` });
  databases.push(apiDb);
  const apiServer: RunningApiServer = await startApiServer(loadConfig(apiServerConfig, { PORT: "0", LOG_LEVEL: logLevel, ARK_HOME: home, DATABASE_URL: apiDb.url, DATABASE_POOL_SIZE: "5" }));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(apiServer.kubeconfigPath);
  const bus = new MemoryQueryBus();
  const mock = await startMockModel();
  const controller: RunningController = await startController(
    loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL: logLevel, LEADER_ELECTION: "false", QUERY_REFERENCE_WAIT: "500ms", WORKER_CONCURRENCY: "4", MEMORY_AUTH_SECRET: MEMORY_SECRET }),
    { bus: bus as never, kubeConfig, providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } } },
  );
  const memoryDb = await createTestDatabase({ label: `${label}-memory` });
  databases.push(memoryDb);
  const memory: RunningMemoryService = await startMemory(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: logLevel, DATABASE_URL: memoryDb.url, MEMORY_AUTH_SECRET: MEMORY_SECRET }));
  const tasksDb = await createTestDatabase({ label: `${label}-tasks` });
  databases.push(tasksDb);

  const ark = createArkClient(kubeConfig);
  await ark.memories.create({ metadata: { name: "default", namespace: "default" }, spec: { address: { value: memory.url } } });
  const replicas: RunningArkApiA2a[] = [];
  const startReplica = async () => {
    const config = loadConfig(arkApiA2aConfig, { PORT: "0", LOG_LEVEL: logLevel, DATABASE_URL: tasksDb.url, DATABASE_POOL_SIZE: "3", ARK_API_ADMIN_KEY: ADMIN_KEY, ARK_A2A_NAMESPACES: "default,other", ARK_A2A_LISTEN_HOST: "127.0.0.1" });
    const running = await start(config, { bus, kubeConfig });
    replicas.push(running);
    return running;
  };
  const a2a = await startReplica();
  return {
    a2a,
    mock,
    ark,
    startReplica,
    async apiKey(namespaces) {
      return (await new ApiKeyStore(createCoreClient(kubeConfig), "ark-system").create({ name: `test-${namespaces.join("-")}`, namespaces })).key;
    },
    async client(baseUrl, binding = "JSONRPC") {
      const transport = binding === "JSONRPC" ? new JsonRpcTransportFactory({ fetchImpl: authorized }) : new RestTransportFactory({ fetchImpl: authorized });
      const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [transport], preferredTransports: [binding] }));
      return factory.createFromUrl(baseUrl);
    },
    async close() {
      for (const replica of replicas) {
        replica.service.app.server.closeAllConnections();
        await replica.stop().catch(() => undefined);
      }
      await memory.stop().catch(() => undefined);
      await controller.stop().catch(() => undefined);
      await mock.close();
      await bus.close();
      await apiServer.stop();
      for (const db of databases) await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
