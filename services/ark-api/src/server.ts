import { openQueryBus, type QueryBus } from "@ark/bus";
import { loadKubeConfig } from "@ark/kube";
import { ApiKeyStore, busOptions, createAuthenticator, createService, listen, loadConfig, registerAuthentication, type Authenticator, type Service, type ServiceApp } from "@ark/service-kit";
import type { KubeConfig } from "@kubernetes/client-node";
import type { FastifyBaseLogger } from "fastify";
import { arkApiConfig, type ArkApiConfig } from "./config.js";
import { createApiContext, type ApiContext } from "./context.js";
import { kindDtos } from "./dto/index.js";
import { registerRestErrorHandler } from "./http/error-handler.js";
import { registerCors, registerDocs, registerRateLimit } from "./http/plugins.js";
import { upstreamRouteRewriter } from "./http/upstream-routes.js";
import { KindResources } from "./kinds/kind-resources.js";
import { registerOpenAIErrorHandler } from "./openai/errors.js";
import { registerApiKeyRoutes } from "./routes/api-keys.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerKindRoutes } from "./routes/kinds.js";
import { registerMemorySessionRoutes } from "./routes/memory-sessions.js";
import { registerNamespaceRoutes } from "./routes/namespaces.js";
import { registerOpenAIRoutes } from "./routes/openai.js";
import { registerQueryRoutes } from "./routes/queries.js";
import { registerToolApprovalRoutes } from "./routes/tool-approvals.js";
import { registerSecretRoutes } from "./routes/secrets.js";
import { registerSystemRoutes } from "./routes/system.js";

export { arkApiConfig, type ArkApiConfig } from "./config.js";

export interface ArkApiOptions {
  logger?: FastifyBaseLogger;
  /** The in-process bus of the dev stack; otherwise NATS_URL decides (unset: a private in-process bus). */
  bus?: QueryBus;
  /** Otherwise KUBECONFIG, in-cluster, ~/.kube/config. */
  kubeConfig?: KubeConfig;
}

export interface RunningArkApi {
  url: string;
  service: Service<ArkApiConfig>;
  stop(): Promise<void>;
}

/** The segments under /v1/namespaces/{ns}/ that upstream's clients also call as /v1/<segment>?namespace=. */
const NAMESPACED_SEGMENTS: ReadonlySet<string> = new Set([...Object.keys(kindDtos), "events", "secrets", "sessions", "tool-approvals"]);

/** Starts ark-api in this process (the dev stack's entry point). */
export async function start(config: ArkApiConfig = loadConfig(arkApiConfig), options: ArkApiOptions = {}): Promise<RunningArkApi> {
  const service = await createArkApi(config, options);
  const { url, stop } = await listen(service);
  return { url, service, stop };
}

export async function createArkApi(config: ArkApiConfig, options: ArkApiOptions = {}): Promise<Service<ArkApiConfig>> {
  const kubeConfig = options.kubeConfig ?? loadKubeConfig(config.KUBECONFIG ? { kubeconfigPath: config.KUBECONFIG } : {});
  const opened = options.bus ? undefined : await openQueryBus(busOptions(config));
  // The watch logs only once the service (and its logger) exists.
  const ctx = createApiContext(config, kubeConfig, options.bus ?? opened!.bus, { warn: (obj, message) => service.log.warn(obj, message) });
  const keys = new ApiKeyStore(ctx.core, config.ARK_API_KEYS_NAMESPACE);
  const authenticate = createAuthenticator(config, keys);

  const service = createService({
    name: "ark-api",
    config,
    allowedOrigins: config.CORS_ORIGINS,
    rewriteUrl: upstreamRouteRewriter(NAMESPACED_SEGMENTS, config.DEFAULT_NAMESPACE),
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => registerArkApi(app, ctx, keys, authenticate),
  });
  if (opened) {
    if (opened.kind === "memory") service.log.warn("NATS_URL is unset: using a private in-process bus, so no query events reach this ark-api");
    service.onShutdown(() => opened.bus.close());
  }
  service.onShutdown(() => {
    ctx.finishedQueries.close();
    ctx.queryEvents.close();
  });
  service.addReadinessCheck("kubernetes", () => ctx.core.api.listNamespace({ limit: 1 }));
  return service;
}

async function registerArkApi(app: ServiceApp, ctx: ApiContext, keys: ApiKeyStore, authenticate: Authenticator): Promise<void> {
  await registerCors(app, ctx.config);
  await registerDocs(app);
  await registerRateLimit(app, ctx.config);
  const resources = Object.fromEntries(Object.entries(kindDtos).map(([segment, dto]) => [segment, new KindResources(ctx.kubeConfig, dto)]));
  const queries = resources.queries!;

  await app.register(async (rest: ServiceApp) => {
    registerRestErrorHandler(rest);
    registerAuthentication(rest, authenticate);
    registerNamespaceRoutes(rest, ctx);
    registerSystemRoutes(rest, ctx);
    registerSecretRoutes(rest, ctx);
    registerEventRoutes(rest, ctx);
    registerMemorySessionRoutes(rest, ctx);
    for (const [segment, kind] of Object.entries(resources)) if (segment !== "queries") registerKindRoutes(rest, segment, kind);
    registerQueryRoutes(rest, ctx, queries);
    registerToolApprovalRoutes(rest, ctx);
    await rest.register(async (admin: ServiceApp) => registerApiKeyRoutes(admin, keys));
  });

  await app.register(
    async (openai: ServiceApp) => {
      registerOpenAIErrorHandler(openai);
      registerAuthentication(openai, authenticate);
      registerOpenAIRoutes(openai, ctx, queries);
    },
    { prefix: "/openai" },
  );
}
