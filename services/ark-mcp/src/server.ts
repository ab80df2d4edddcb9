import { openQueryBus, type QueryBus } from "@ark/bus";
import { createArkClient, createCoreClient, loadKubeConfig } from "@ark/kube";
import { ApiKeyStore, busOptions, createAuthenticator, createHostGuard, createService, listen, loadConfig, type Service } from "@ark/service-kit";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import type { FastifyBaseLogger } from "fastify";
import { arkMcpConfig, type ArkMcpConfig } from "./config.js";
import { registerMcpRoutes } from "./http/mcp-routes.js";
import { McpSessions } from "./http/sessions.js";
import { createMcpServer } from "./mcp/create-mcp-server.js";
import type { ArkMcpDeps } from "./mcp/deps.js";

export { arkMcpConfig, type ArkMcpConfig } from "./config.js";

export interface ArkMcpOptions {
  logger?: FastifyBaseLogger;
  /** The API to use instead of KUBECONFIG (the dev stack and tests pass one). */
  kubeConfig?: KubeConfig;
  /** The bus shared with the in-process controller (dev stack); not closed on stop. Else opened from NATS_URL. */
  bus?: QueryBus<QueryEvent>;
}

export interface RunningArkMcp {
  url: string;
  /** The Streamable HTTP endpoint (also served at `url` itself). */
  mcpUrl: string;
  service: Service<ArkMcpConfig>;
  stop(): Promise<void>;
}

/** Builds the service (bus opened, clients made) without listening; runService calls start(). */
export async function createArkMcpServer(config: ArkMcpConfig, options: ArkMcpOptions = {}): Promise<Service<ArkMcpConfig>> {
  const kc = options.kubeConfig ?? loadKubeConfig(config.KUBECONFIG ? { kubeconfigPath: config.KUBECONFIG } : {});
  const opened = options.bus ? undefined : await openQueryBus<QueryEvent>(busOptions(config));
  const bus = options.bus ?? opened!.bus;
  const core = createCoreClient(kc);
  const authenticate = createAuthenticator(config, new ApiKeyStore(core, config.ARK_API_KEYS_NAMESPACE));
  const deps: Omit<ArkMcpDeps, "principal"> = {
    kc,
    ark: createArkClient(kc),
    core,
    bus,
    defaultNamespace: config.ARK_MCP_DEFAULT_NAMESPACE,
    queryTimeoutMs: config.ARK_MCP_QUERY_TIMEOUT,
  };
  const sessions = new McpSessions((principal) => createMcpServer({ ...deps, principal }), config.ARK_MCP_SESSION_IDLE);
  const guard = createHostGuard({ serviceName: "ark-mcp", allowedHosts: config.ARK_MCP_ALLOWED_HOSTS, allowedOrigins: config.ARK_MCP_ALLOWED_ORIGINS });
  const service = createService({
    name: "ark-mcp",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => {
      registerMcpRoutes(app, sessions, guard, authenticate);
      // Open session streams would hold the HTTP server's close; end them first.
      app.addHook("preClose", () => sessions.closeAll());
    },
  });
  service.onShutdown(() => opened?.bus.close());
  if (opened?.kind === "memory") service.log.warn("query bus: in-process (NATS_URL unset): only queries run in this process are followed");
  return service;
}

/** Starts ark-mcp in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: ArkMcpConfig = loadConfig(arkMcpConfig), options: ArkMcpOptions = {}): Promise<RunningArkMcp> {
  const service = await createArkMcpServer(config, options);
  const { url, stop } = await listen(service);
  return { url, mcpUrl: `${url}/mcp`, service, stop };
}
