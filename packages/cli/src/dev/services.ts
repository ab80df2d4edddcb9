import { randomBytes } from "node:crypto";
import { loadConfig, resolveDatabase } from "@ark/service-kit";
import { join } from "node:path";
import { loadKubeConfig, unixSocketKubeConfig } from "@ark/kube";
import { ensureDevApiKey } from "./admin-key.js";
import { modelPlanFromEnv } from "./model-provider.js";
import { kubeConfigWithToken, SERVICE_NAMESPACE, stackIdentityRules } from "./service-identities.js";
import { requireServiceKube, serviceEnv, type ServiceEntry, type StackContext } from "./stack-context.js";

// Imported when started, so a service that does not load yet is reported in the table instead of stopping the stack.

/** Every service of the local stack, in start order (stopped in reverse). A new service is one entry here. */
export const stackServices: readonly ServiceEntry[] = [
  {
    // Started first so it stops last, once every service has closed its pool (they share this server).
    name: "postgres",
    required: true,
    skip: (ctx) => (ctx.env.DATABASE_URL ? "DATABASE_URL is set" : undefined),
    async start(ctx) {
      const database = await resolveDatabase({ arkHome: ctx.arkHome, logger: ctx.logger });
      return { url: `postgres://127.0.0.1:${new URL(database.url).port}`, note: "embedded", stop: database.stop };
    },
  },
  {
    name: "ark-apiserver",
    required: true,
    async start(ctx) {
      const { start, apiServerConfig, ensureServiceIdentity, MAX_SOCKET_PATH_BYTES } = await import("@ark/ark-apiserver");
      const socket = apiSocketPath(ctx, MAX_SOCKET_PATH_BYTES);
      const running = await start(loadConfig(apiServerConfig, serviceEnv(ctx, "ark-apiserver", { ARK_APISERVER_SOCKET: socket, ARK_APISERVER_SERVICE_NAMESPACE: SERVICE_NAMESPACE })), {
        logger: ctx.logger,
        socketOptional: true,
      });
      ctx.kubeconfigPath = running.kubeconfigPath;
      ctx.apiCaPem = running.caPem;
      // The services below run in this process: they skip TLS through the socket; kubectl and the CLI use the kubeconfig.
      ctx.kubeConfig = running.socketPath ? unixSocketKubeConfig({ socketPath: running.socketPath, token: running.token, inProcess: running.inProcess }) : loadKubeConfig({ kubeconfigPath: running.kubeconfigPath });
      const stackKube = ctx.kubeConfig;
      // Each service calls the API as its own ServiceAccount with the rules of service-rules.ts, not as the admin.
      ctx.serviceKubeConfig = async (service) => {
        const rules = stackIdentityRules(service, ctx.env.ARK_API_KEYS_NAMESPACE);
        const identity = await ensureServiceIdentity(running, { namespace: SERVICE_NAMESPACE, name: service, ...rules });
        return kubeConfigWithToken(stackKube, identity.token, running.socketPath);
      };
      return { url: running.url, readyUrl: `${running.url}/ready`, stop: running.stop };
    },
  },
  {
    name: "postgres-memory",
    async start(ctx) {
      const { start, memoryConfig } = await import("@ark/postgres-memory");
      // Its own database on the embedded server: services' migration histories must not share one database.
      const database = ctx.env.DATABASE_URL ? undefined : await resolveDatabase({ arkHome: ctx.arkHome, databaseName: "ark_memory", logger: ctx.logger });
      const env = serviceEnv(ctx, "postgres-memory", { ...(database ? { DATABASE_URL: database.url } : {}), MEMORY_AUTH_SECRET: memoryAuthSecret(ctx) });
      const running = await start(loadConfig(memoryConfig, env), { logger: ctx.logger });
      return {
        url: running.url,
        readyUrl: `${running.url}/ready`,
        async stop() {
          await running.stop();
          await database?.stop();
        },
      };
    },
  },
  {
    name: "filesys-mcp",
    async start(ctx) {
      const { start, filesysConfig } = await import("@ark/filesys-mcp");
      const running = await start(loadConfig(filesysConfig, serviceEnv(ctx, "filesys-mcp")), { logger: ctx.logger });
      return { url: running.mcpUrl, readyUrl: `${running.url}/ready`, note: `files under ${running.rootReal}`, stop: running.stop };
    },
  },
  {
    name: "mock-model",
    skip: (ctx) => (modelPlanFromEnv(ctx.env) ? "a model provider is configured" : undefined),
    async start(ctx) {
      const { startMockModel } = await import("@ark/testing");
      const mock = await startMockModel({ port: ctx.port("mock-model"), host: ctx.host, ...(ctx.env.ALLOWED_HOSTS ? { allowedHosts: ctx.env.ALLOWED_HOSTS.split(",").map((h) => h.trim()) } : {}) });
      return { url: mock.url, readyUrl: `${mock.url}/models`, note: "echoes the last user message", stop: () => mock.close() };
    },
  },
  {
    name: "evaluator-llm",
    async start(ctx) {
      const { start, evaluatorConfig } = await import("@ark/evaluator-llm");
      const { kubeconfigPath, kubeConfig } = await requireServiceKube(ctx, "evaluator-llm");
      const env = serviceEnv(ctx, "evaluator-llm", { KUBECONFIG: kubeconfigPath, EVALUATOR_AUTH_SECRET: evaluatorAuthSecret(ctx) });
      const running = await start(loadConfig(evaluatorConfig, env), { logger: ctx.logger, kubeConfig, bus: ctx.bus });
      return { url: running.url, readyUrl: `${running.url}/ready`, note: "Evaluator default/evaluator-llm", stop: running.stop };
    },
  },
  {
    name: "executor-langchain",
    async start(ctx) {
      const { start, executorConfig } = await import("@ark/executor-langchain");
      const running = await start(loadConfig(executorConfig, serviceEnv(ctx, "executor-langchain", { ENGINE_TOKEN: engineToken(ctx) })), { logger: ctx.logger });
      return { url: running.url, readyUrl: `${running.url}/ready`, note: "ExecutionEngine default/executor-langchain", stop: running.stop };
    },
  },
  {
    name: "ark-controller",
    async start(ctx) {
      const { start, controllerConfig } = await import("@ark/ark-controller");
      const { kubeconfigPath, kubeConfig } = await requireServiceKube(ctx, "ark-controller");
      // One process: no other replica to elect against, and no stale Lease to wait out after a kill.
      // Tenants' MCPServers may use the stack's sample filesys-mcp; the other services stay out of their tools' reach.
      const filesys = ctx.urls.get("filesys-mcp");
      const allow = [ctx.env.ARK_EGRESS_ALLOW, filesys ? new URL(filesys).host : undefined].filter(Boolean).join(",");
      const env = serviceEnv(ctx, "ark-controller", {
        KUBECONFIG: kubeconfigPath,
        LEADER_ELECTION: "false",
        MEMORY_AUTH_SECRET: memoryAuthSecret(ctx),
        EVALUATOR_AUTH_SECRET: evaluatorAuthSecret(ctx),
        ENGINE_TOKEN: engineToken(ctx),
        ...(allow ? { ARK_EGRESS_ALLOW: allow } : {}),
      });
      const running = await start(loadConfig(controllerConfig, env), { logger: ctx.logger, kubeConfig, bus: ctx.bus });
      return { url: running.url, readyUrl: `${running.url}/ready`, stop: running.stop };
    },
  },
  {
    name: "ark-mcp",
    async start(ctx) {
      const { start, arkMcpConfig } = await import("@ark/ark-mcp");
      const { kubeconfigPath, kubeConfig } = await requireServiceKube(ctx, "ark-mcp");
      // ark-api's callers are ark-mcp's: the same auth mode and admin key.
      const env = serviceEnv(ctx, "ark-mcp", { KUBECONFIG: kubeconfigPath, ...(await devCallerAuth(ctx)) });
      const running = await start(loadConfig(arkMcpConfig, env), { logger: ctx.logger, kubeConfig, bus: ctx.bus });
      return { url: running.mcpUrl, readyUrl: `${running.url}/ready`, stop: running.stop };
    },
  },
  {
    name: "ark-api",
    async start(ctx) {
      const { start, arkApiConfig } = await import("@ark/ark-api");
      const { kubeconfigPath, kubeConfig } = await requireServiceKube(ctx, "ark-api");
      // Auth on: a page in the browser or another local user must not drive ark-api; the CLI reads the key from $ARK_HOME.
      const env = serviceEnv(ctx, "ark-api", { KUBECONFIG: kubeconfigPath, MEMORY_AUTH_SECRET: memoryAuthSecret(ctx), ...(await devCallerAuth(ctx)), ...devRateLimit(ctx.env) });
      const running = await start(loadConfig(arkApiConfig, env), { logger: ctx.logger, kubeConfig, bus: ctx.bus });
      return { url: running.url, readyUrl: `${running.url}/ready`, stop: running.stop };
    },
  },
  {
    name: "ark-api-a2a",
    async start(ctx) {
      const { start, arkApiA2aConfig } = await import("@ark/ark-api-a2a");
      const { kubeconfigPath, kubeConfig } = await requireServiceKube(ctx, "ark-api-a2a");
      // Its own database on the embedded server, as postgres-memory; its callers are ark-api's (same auth and admin key).
      const database = ctx.env.DATABASE_URL ? undefined : await resolveDatabase({ arkHome: ctx.arkHome, databaseName: "ark_a2a", logger: ctx.logger });
      const env = serviceEnv(ctx, "ark-api-a2a", { KUBECONFIG: kubeconfigPath, ...(database ? { DATABASE_URL: database.url } : {}), ...(await devCallerAuth(ctx)) });
      const running = await start(loadConfig(arkApiA2aConfig, env), { logger: ctx.logger, kubeConfig, bus: ctx.bus });
      return {
        url: running.url,
        readyUrl: `${running.url}/ready`,
        note: "A2A agents at /agent/<name>/",
        async stop() {
          await running.stop();
          await database?.stop();
        },
      };
    },
  },
  {
    name: "ark-dashboard",
    async start(ctx) {
      const { start, dashboardConfig } = await import("@ark/ark-dashboard");
      // It serves the app and forwards /api to ark-api, which asks the browser for a key: it holds none itself.
      const env = serviceEnv(ctx, "ark-dashboard", { ARK_API_URL: ctx.urls.get("ark-api") });
      const running = await start(loadConfig(dashboardConfig, env), { logger: ctx.logger, buildIfMissing: true });
      return { url: running.url, readyUrl: `${running.url}/ready`, note: "sign in with the key in $ARK_HOME/api-key", stop: running.stop };
    },
  },
  {
    name: "localhost-gateway",
    async start(ctx) {
      const { start, gatewayConfig } = await import("@ark/localhost-gateway");
      const routes = [...ctx.urls].flatMap(([name, url]) => (GATEWAY_ROUTE_NAMES[name] ? [[GATEWAY_ROUTE_NAMES[name], url] as const] : []));
      const env = serviceEnv(ctx, "localhost-gateway", { GATEWAY_ROUTES: routes.map(([route, url]) => `${route}=${url}`).join(",") });
      const running = await start(loadConfig(gatewayConfig, env), { logger: ctx.logger });
      const port = new URL(running.url).port;
      return { url: running.url, readyUrl: `${running.url}/ready`, note: `http://{${routes.map(([route]) => route).join(",")}}.localhost:${port}`, stop: running.stop };
    },
  },
];

/** How ark-api, ark-mcp and ark-api-a2a authenticate people in the dev stack: API keys (the admin key in $ARK_HOME/api-key), unless ARK_API_AUTH says otherwise. */
async function devCallerAuth(ctx: StackContext): Promise<Record<string, string>> {
  return { ARK_API_AUTH: ctx.env.ARK_API_AUTH ?? "apikey", ARK_API_ADMIN_KEY: await ensureDevApiKey(ctx.arkHome) };
}

/** A local single-user stack does not throttle its own user: no per-principal rate limit unless RATE_LIMIT_PER_MINUTE is set. */
export function devRateLimit(env: Readonly<Record<string, string | undefined>>): { RATE_LIMIT_PER_MINUTE: string } {
  return { RATE_LIMIT_PER_MINUTE: env.RATE_LIMIT_PER_MINUTE ?? "0" };
}

const memorySecrets = new WeakMap<StackContext, string>();

/** The secret postgres-memory, the worker and ark-api share (namespace tokens); made per start unless MEMORY_AUTH_SECRET is set. */
function memoryAuthSecret(ctx: StackContext): string {
  let secret = ctx.env.MEMORY_AUTH_SECRET ?? memorySecrets.get(ctx);
  if (!secret) memorySecrets.set(ctx, (secret = randomBytes(32).toString("base64url")));
  return secret;
}

const evaluatorSecrets = new WeakMap<StackContext, string>();

/** The secret evaluator-llm and the controller share (namespace tokens); made per start unless EVALUATOR_AUTH_SECRET is set. */
function evaluatorAuthSecret(ctx: StackContext): string {
  let secret = ctx.env.EVALUATOR_AUTH_SECRET ?? evaluatorSecrets.get(ctx);
  if (!secret) evaluatorSecrets.set(ctx, (secret = randomBytes(32).toString("base64url")));
  return secret;
}

const engineTokens = new WeakMap<StackContext, string>();

/** The bearer token the worker sends execution engines and executor-langchain checks; made per start unless ENGINE_TOKEN is set. */
function engineToken(ctx: StackContext): string {
  let token = ctx.env.ENGINE_TOKEN ?? engineTokens.get(ctx);
  if (!token) engineTokens.set(ctx, (token = randomBytes(32).toString("base64url")));
  return token;
}

/** The gateway's host names for the stack's services (as in localhost-gateway's LOCAL_ROUTES). */
const GATEWAY_ROUTE_NAMES: Readonly<Record<string, string>> = {
  "ark-api": "api",
  "ark-mcp": "mcp",
  "ark-api-a2a": "a2a",
  "filesys-mcp": "filesys",
  "postgres-memory": "memory",
  "evaluator-llm": "evaluator",
  "executor-langchain": "executor",
  "ark-dashboard": "dashboard",
};

/** $ARK_HOME/apiserver.sock, unless ARK_APISERVER_SOCKET says otherwise or the path is too long for a socket (then none). */
function apiSocketPath(ctx: StackContext, maxBytes: number): string | undefined {
  if (ctx.env.ARK_APISERVER_SOCKET !== undefined) return ctx.env.ARK_APISERVER_SOCKET || undefined;
  const path = join(ctx.arkHome, "apiserver.sock");
  return Buffer.byteLength(path) <= maxBytes ? path : undefined;
}
