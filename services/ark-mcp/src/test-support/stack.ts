import type { QueryBus } from "@ark/bus";
import type { ArkClient, CoreClient } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { startArkStack, TEST_LOG_LEVEL, type RunningApiServer } from "@ark/test-stack";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
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
  const stack = await startArkStack({ label: "ark-mcp", natsUrl: options.natsUrl });
  const kc = stack.kubeConfig;
  const config = loadConfig(arkMcpConfig, { PORT: "0", LOG_LEVEL: TEST_LOG_LEVEL, ARK_HOME: stack.arkHome, ARK_API_AUTH: "none", ...stack.busEnv, ...options.env });
  const mcp = await start(config, { kubeConfig: kc, ...(options.natsUrl ? {} : { bus: stack.bus }) }).catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });
  stack.onStop(() => mcp.stop());
  const clients: Client[] = [];
  return {
    api: stack.apiServer,
    kc,
    ark: stack.ark,
    core: stack.core,
    bus: stack.bus,
    mcp,
    async connect(path = "/mcp", headers = {}) {
      const client = new Client({ name: "ark-mcp-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(path === "/" ? `${mcp.url}/` : mcp.mcpUrl), { requestInit: { headers } }));
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await stack.stop();
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
