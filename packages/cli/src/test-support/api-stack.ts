import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryQueryBus } from "@ark/bus";
import { arkApiConfig, start as startArkApi } from "@ark/ark-api";
import { apiServerConfig, start as startApiServer } from "@ark/ark-apiserver";
import { memoryConfig, start as startMemory } from "@ark/postgres-memory";
import { loadConfig } from "@ark/service-kit";
import { createTestDatabase, type TestDatabase } from "@ark/testing/vitest";
import { KubeConfig } from "@kubernetes/client-node";

const BIN = fileURLToPath(new URL("../../bin/ark.js", import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** ark-apiserver, postgres-memory and ark-api in this process, and the `ark` binary run against them as a child. */
export interface ApiStack {
  kubeConfig: KubeConfig;
  memoryUrl: string;
  memoryAuthSecret: string;
  ark(...args: string[]): Promise<CliRun>;
  close(): Promise<void>;
}

export async function startApiStack(label: string): Promise<ApiStack> {
  const databases: TestDatabase[] = [await createTestDatabase({ label }), await createTestDatabase({ label: `${label}-memory` })];
  const home = await mkdtemp(join(tmpdir(), "ark-cli-"));
  const memoryAuthSecret = "m".repeat(40);
  const apiServer = await startApiServer(loadConfig(apiServerConfig, { PORT: "0", LOG_LEVEL: "warn", ARK_HOME: home, DATABASE_URL: databases[0]!.url, DATABASE_POOL_SIZE: "5" }));
  const memory = await startMemory(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: "warn", DATABASE_URL: databases[1]!.url, MEMORY_AUTH_SECRET: memoryAuthSecret }));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(apiServer.kubeconfigPath);
  const bus = new MemoryQueryBus();
  const api = await startArkApi(loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL: "warn", ARK_API_AUTH: "none", RATE_LIMIT_PER_MINUTE: "0", MEMORY_AUTH_SECRET: memoryAuthSecret }), { bus, kubeConfig });
  const env: NodeJS.ProcessEnv = { ...process.env, ARK_SERVER: api.url, NO_COLOR: "1" };
  for (const name of ["ARK_NAMESPACE", "ARK_API_KEY"]) delete env[name];
  return {
    kubeConfig,
    memoryUrl: memory.url,
    memoryAuthSecret,
    ark: (...args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      }),
    async close() {
      api.service.app.server.closeAllConnections();
      await api.stop().catch(() => undefined);
      await bus.close();
      await memory.stop();
      await apiServer.stop();
      for (const db of databases) await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
