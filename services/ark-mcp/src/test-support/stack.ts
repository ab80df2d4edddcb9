import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiServerConfig, start as startApiServer, type RunningApiServer } from "@ark/ark-apiserver";
import { connectJetStreamBus, deleteBusStreams, MemoryQueryBus, type QueryBus } from "@ark/bus";
import { createArkClient, createCoreClient, type ArkClient, type CoreClient } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { createTestDatabase } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { KubeConfig } from "@kubernetes/client-node";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { arkMcpConfig } from "../config.js";
import { start, type RunningArkMcp } from "../server.js";

export interface McpStack {
  api: RunningApiServer;
  kc: KubeConfig;
  ark: ArkClient;
  core: CoreClient;
  /** The test's own handle on the bus ark-mcp uses (the same instance in-process; another connection on JetStream). */
  bus: QueryBus<QueryEvent>;
  mcp: RunningArkMcp;
  /** A connected SDK client session; `path` is "/" (upstream's) or "/mcp". */
  connect(path?: "/" | "/mcp", headers?: Record<string, string>): Promise<Client>;
  close(): Promise<void>;
}

/**
 * ark-apiserver on a fresh database and ark-mcp on it, sharing an in-process bus; with `natsUrl`, ark-mcp opens
 * JetStream itself from NATS_URL (fresh stream and subject prefixes, deleted on close).
 */
export async function startMcpStack(options: { natsUrl?: string | undefined; env?: Record<string, string> } = {}): Promise<McpStack> {
  const database = await createTestDatabase();
  const arkHome = await mkdtemp(join(tmpdir(), "ark-mcp-test-"));
  const logLevel = process.env.ARK_TEST_LOG_LEVEL ?? "warn";
  const api = await startApiServer(
    loadConfig(apiServerConfig, { PORT: "0", LOG_LEVEL: logLevel, ARK_HOME: arkHome, DATABASE_URL: database.url, DATABASE_POOL_SIZE: "5" }),
  );
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const { bus, env, dispose } = await openBus(options.natsUrl);
  const config = loadConfig(arkMcpConfig, { PORT: "0", LOG_LEVEL: logLevel, ARK_HOME: arkHome, ARK_API_AUTH: "none", ...env, ...options.env });
  const mcp = await start(config, { kubeConfig: kc, ...(options.natsUrl ? {} : { bus }) });
  const clients: Client[] = [];
  return {
    api,
    kc,
    ark: createArkClient(kc),
    core: createCoreClient(kc),
    bus,
    mcp,
    async connect(path = "/mcp", headers = {}) {
      const client = new Client({ name: "ark-mcp-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(path === "/" ? `${mcp.url}/` : mcp.mcpUrl), { requestInit: { headers } }));
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await mcp.stop();
      await dispose();
      await api.stop();
      await database.drop();
      await rm(arkHome, { recursive: true, force: true });
    },
  };
}

async function openBus(natsUrl: string | undefined) {
  if (!natsUrl) {
    const bus = new MemoryQueryBus<QueryEvent>();
    return { bus, env: {}, dispose: () => bus.close() };
  }
  const id = Math.random().toString(36).slice(2, 8);
  const prefixes = { streamPrefix: `TMCP_${id}`, subjectPrefix: `tmcp.${id}` };
  const bus = await connectJetStreamBus<QueryEvent>({ servers: natsUrl, ...prefixes });
  return {
    bus,
    env: { NATS_URL: natsUrl, NATS_STREAM_PREFIX: prefixes.streamPrefix, NATS_SUBJECT_PREFIX: prefixes.subjectPrefix },
    async dispose() {
      await bus.close();
      await deleteBusStreams(natsUrl, prefixes.streamPrefix);
    },
  };
}

let counter = 0;
export async function freshNamespace(stack: McpStack): Promise<string> {
  counter += 1;
  const namespace = `mcp-${counter}-${Math.random().toString(36).slice(2, 6)}`;
  await stack.core.ensureNamespace(namespace);
  return namespace;
}
