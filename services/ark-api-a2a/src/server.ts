import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { openQueryBus, type QueryBus } from "@ark/bus";
import { createArkClient, createCoreClient, loadKubeConfig } from "@ark/kube";
import { ApiKeyStore, busOptions, createAuthenticator, createPgPool, createService, listen, loadConfig, resolveDatabase, type Service } from "@ark/service-kit";
import type { KubeConfig } from "@kubernetes/client-node";
import type { FastifyBaseLogger } from "fastify";
import type { ServedResource } from "./agents/agent-card.js";
import { AgentRegistry } from "./agents/agent-registry.js";
import { AgentApps } from "./a2a/agent-apps.js";
import { arkApiA2aConfig, type ArkApiA2aConfig } from "./config.js";
import { registerA2aRoutes } from "./http/a2a-routes.js";
import { migrateDatabase } from "./store/migrate.js";
import { PostgresTaskStore } from "./store/task-store.js";

export { arkApiA2aConfig, type ArkApiA2aConfig } from "./config.js";

export interface ArkApiA2aOptions {
  logger?: FastifyBaseLogger;
  /** The bus shared with the in-process controller (dev stack); not closed on stop. Else opened from NATS_URL. */
  bus?: QueryBus;
  /** Otherwise KUBECONFIG, in-cluster, ~/.kube/config. */
  kubeConfig?: KubeConfig;
}

export interface RunningArkApiA2a {
  url: string;
  service: Service<ArkApiA2aConfig>;
  stop(): Promise<void>;
}

/** Starts ark-api-a2a in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: ArkApiA2aConfig = loadConfig(arkApiA2aConfig), options: ArkApiA2aOptions = {}): Promise<RunningArkApiA2a> {
  const service = await createArkApiA2a(config, options);
  const { url, stop } = await listen(service);
  return { url, service, stop };
}

/** Builds the service (database migrated, agents informed, bus opened), not yet listening; runService calls start(). */
export async function createArkApiA2a(config: ArkApiA2aConfig, options: ArkApiA2aOptions = {}): Promise<Service<ArkApiA2aConfig>> {
  const kc = options.kubeConfig ?? loadKubeConfig(config.KUBECONFIG ? { kubeconfigPath: config.KUBECONFIG } : {});
  const core = createCoreClient(kc);
  const authenticate = createAuthenticator(config, new ApiKeyStore(core, config.ARK_API_KEYS_NAMESPACE));
  let deps: { registry: AgentRegistry; apps: AgentApps } | undefined;
  const stopping = new AbortController();
  const service: Service<ArkApiA2aConfig> = createService({
    name: "ark-api-a2a",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => registerA2aRoutes(app, { ...deps!, authenticate, firstNamespace: config.ARK_A2A_NAMESPACES[0]!, urlOf: (namespace, name) => baseUrl({ namespace, name }), stopExecutions: () => stopping.abort() }),
  });
  const log = service.log;
  const firstNamespace = config.ARK_A2A_NAMESPACES[0]!;
  // Upstream's card URL: ARK_A2A_LISTEN_*; the port defaults to the one this service listens on.
  const baseUrl = (resource: Pick<ServedResource, "namespace" | "name">): string => {
    const port: number = config.ARK_A2A_LISTEN_PORT ?? ((service.app.server.address() as AddressInfo | null)?.port || config.PORT);
    const path = resource.namespace === firstNamespace ? `/agent/${resource.name}/` : `/${resource.namespace}/agent/${resource.name}/`;
    return `${config.ARK_A2A_LISTEN_PROTOCOL}://${config.ARK_A2A_LISTEN_HOST}:${port}${config.ARK_A2A_LISTEN_PATH}${path}`;
  };

  try {
    const opened = options.bus ? undefined : await openQueryBus(busOptions(config));
    if (opened) {
      service.onShutdown(() => opened.bus.close());
      if (opened.kind === "memory") log.warn("NATS_URL is unset: using a private in-process bus, so only queries run in this process are followed");
    }
    const bus = options.bus ?? opened!.bus;
    const database = await resolveDatabase({ databaseUrl: config.DATABASE_URL, arkHome: resolve(config.ARK_HOME), logger: log });
    service.onShutdown(() => database.stop());
    const pool = createPgPool(database.url, { max: config.DATABASE_POOL_SIZE, applicationName: "ark-api-a2a", logger: log, outage: service.databaseOutage });
    service.onShutdown(() => pool.end());
    await migrateDatabase(pool);
    const registry = new AgentRegistry(kc, config.ARK_A2A_NAMESPACES, log);
    service.onShutdown(() => registry.stop());
    await registry.start();
    const apps = new AgentApps({
      store: new PostgresTaskStore(pool, service.databaseOutage),
      executor: { ark: createArkClient(kc), bus, log, defaultTimeoutMs: config.ARK_A2A_QUERY_TIMEOUT, graceMs: config.ARK_A2A_QUERY_GRACE, stopping: stopping.signal },
      baseUrlOf: baseUrl,
    });
    registry.onDelete((namespace, name) => apps.forget(namespace, name));
    deps = { registry, apps };
    service.addReadinessCheck("database", () => pool.query("SELECT 1"));
    service.addReadinessCheck("agents", () => {
      if (!registry.hasSynced()) throw new Error("the Agent and Team informers have not listed yet");
    });
  } catch (err) {
    await service.stop().catch(() => undefined);
    throw err;
  }
  return service;
}
