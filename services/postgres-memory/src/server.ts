import { resolve } from "node:path";
import { createPgPool, createService, listen, loadConfig, resolveDatabase, type CreateServiceOptions, type Service } from "@ark/service-kit";
import { registerCallerAuth } from "./auth/caller-namespace.js";
import { memoryConfig, type MemoryConfig } from "./config.js";
import { registerMessageRoutes } from "./routes/messages.js";
import { registerSessionRoutes } from "./routes/sessions.js";
import { MessageStore } from "./store/message-store.js";
import { migrateDatabase } from "./store/migrate.js";

export { memoryConfig, type MemoryConfig } from "./config.js";
export { MessageStore } from "./store/message-store.js";

export interface MemoryServiceOptions {
  /** A parent logger (the dev stack passes one). */
  logger?: CreateServiceOptions<MemoryConfig>["logger"];
}

export interface RunningMemoryService {
  url: string;
  service: Service<MemoryConfig>;
  stop(): Promise<void>;
}

/** Starts postgres-memory in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: MemoryConfig = loadConfig(memoryConfig), options: MemoryServiceOptions = {}): Promise<RunningMemoryService> {
  const service = await createMemoryService(config, options);
  const { url, stop } = await listen(service);
  return { url, service, stop };
}

/** Builds the service with its database migrated, not yet listening; runService calls start(). */
export async function createMemoryService(config: MemoryConfig, options: MemoryServiceOptions = {}): Promise<Service<MemoryConfig>> {
  let store: MessageStore | undefined;
  const service = createService({
    name: "postgres-memory",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => {
      registerCallerAuth(app, config);
      registerMessageRoutes(app, store!, config.MAX_BODY_BYTES);
      registerSessionRoutes(app, store!);
    },
  });
  const log = service.log;
  if (config.TABLE_NAME !== undefined) log.warn({ tableName: config.TABLE_NAME }, "TABLE_NAME is ignored: the tables are memory_sessions and memory_messages");

  try {
    const database = await resolveDatabase({ databaseUrl: config.DATABASE_URL, arkHome: resolve(config.ARK_HOME), logger: log });
    service.onShutdown(() => database.stop());
    const pool = createPgPool(database.url, { max: config.DATABASE_POOL_SIZE, applicationName: "postgres-memory", logger: log, outage: service.databaseOutage });
    service.onShutdown(() => pool.end());
    await migrateDatabase(pool);
    store = new MessageStore(pool);
    service.addReadinessCheck("database", () => pool.query("SELECT 1"));
  } catch (err) {
    await service.stop().catch(() => undefined);
    throw err;
  }
  return service;
}
