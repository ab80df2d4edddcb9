import { loadConfig } from "@ark/service-kit";
import { memoryConfig, type MemoryConfig } from "../config.js";
import { createMemoryService } from "../server.js";

/** Config for a test: an ephemeral port on `databaseUrl`, quiet logs. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): MemoryConfig {
  return loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: databaseUrl, MEMORY_AUTH: "none", ...env });
}

/** A migrated service for app.inject, not listening. */
export function memoryServiceFor(databaseUrl: string, env: Record<string, string> = {}) {
  return createMemoryService(testConfig(databaseUrl, env));
}
