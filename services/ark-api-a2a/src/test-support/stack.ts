import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory, RestTransportFactory, type Client } from "@a2a-js/sdk/client";
import { controllerConfig, start as startController } from "@ark/ark-controller";
import type { ArkClient } from "@ark/kube";
import { memoryConfig, start as startMemory } from "@ark/postgres-memory";
import { ApiKeyStore, loadConfig } from "@ark/service-kit";
import { startArkStack, TEST_LOG_LEVEL as logLevel } from "@ark/test-stack";
import type { MockModel } from "@ark/testing";
import type { TestDatabase } from "@ark/testing/vitest";
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
  const stack = await startArkStack({ label: `${label}-api` });
  const { bus, kubeConfig, mock, ark } = stack;
  const quietly = (stop: () => Promise<unknown>) => () => stop().catch(() => undefined);
  const startReplica = async () => {
    const config = loadConfig(arkApiA2aConfig, {
      PORT: "0",
      LOG_LEVEL: logLevel,
      DATABASE_URL: tasksDb.url,
      DATABASE_POOL_SIZE: "3",
      ARK_API_ADMIN_KEY: ADMIN_KEY,
      ARK_A2A_NAMESPACES: "default,other",
      ARK_A2A_LISTEN_HOST: "127.0.0.1",
    });
    const running = await start(config, { bus, kubeConfig });
    stack.onStop(async () => {
      running.service.app.server.closeAllConnections();
      await running.stop().catch(() => undefined);
    });
    return running;
  };
  let tasksDb: TestDatabase;
  let a2a: RunningArkApiA2a;
  try {
    const controller = await startController(
      loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL: logLevel, LEADER_ELECTION: "false", QUERY_REFERENCE_WAIT: "500ms", WORKER_CONCURRENCY: "4", MEMORY_AUTH_SECRET: MEMORY_SECRET }),
      { bus, kubeConfig, providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } } },
    );
    stack.onStop(quietly(() => controller.stop()));
    const memoryDb = await stack.database(`${label}-memory`);
    const memory = await startMemory(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: logLevel, DATABASE_URL: memoryDb.url, MEMORY_AUTH_SECRET: MEMORY_SECRET }));
    stack.onStop(quietly(() => memory.stop()));
    await ark.memories.create({ metadata: { name: "default", namespace: "default" }, spec: { address: { value: memory.url } } });
    tasksDb = await stack.database(`${label}-tasks`);
    a2a = await startReplica();
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return {
    a2a,
    mock,
    ark,
    startReplica,
    async apiKey(namespaces) {
      return (await new ApiKeyStore(stack.core, "ark-system").create({ name: `test-${namespaces.join("-")}`, namespaces })).key;
    },
    async client(baseUrl, binding = "JSONRPC") {
      const transport = binding === "JSONRPC" ? new JsonRpcTransportFactory({ fetchImpl: authorized }) : new RestTransportFactory({ fetchImpl: authorized });
      const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [transport], preferredTransports: [binding] }));
      return factory.createFromUrl(baseUrl);
    },
    close: () => stack.stop(),
  };
}
