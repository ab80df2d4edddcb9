import type { AddressInfo } from "node:net";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import type { CommonServiceConfig } from "../config/common.js";
import { Readiness, type ReadinessCheck } from "../health/readiness.js";
import { registerHealthRoutes } from "../health/routes.js";
import { createMetricsRegistry, registerHttpMetrics } from "../metrics/http-metrics.js";
import { DatabaseOutage } from "../postgres/outage.js";
import { registerConnectionDraining } from "../shutdown/drain-connections.js";
import { registerHttpTracing } from "../telemetry/http-tracing.js";
import { traceLogFields } from "../telemetry/log-fields.js";
import { registerErrorHandling } from "./error-handler.js";
import { registerHostGuard } from "./host-guard.js";
import { registerJsonDepthLimit } from "./json-depth.js";
import { registerRequestLogging, requestIdFrom } from "./request-id.js";

/** The fastify instance services get: zod type provider wired, errors mapped, probes and metrics in place. */
export type ServiceApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export type ServiceConfig = Pick<CommonServiceConfig, "PORT" | "HOST" | "LOG_LEVEL" | "BODY_LIMIT_BYTES"> & Partial<CommonServiceConfig>;

export interface CreateServiceOptions<C extends ServiceConfig> {
  name: string;
  config: C;
  /** A parent logger (the all-in-one stack passes one); by default a JSON pino logger at LOG_LEVEL. */
  logger?: FastifyBaseLogger;
  /** Adds the service's routes, hooks and readiness checks; runs once, before the first request. */
  register?: (app: ServiceApp, service: Service<C>) => Promise<void> | void;
  readiness?: { timeoutMs?: number; checks?: Record<string, ReadinessCheck> };
  /** Origins let through the DNS-rebinding guard besides loopback and ALLOWED_HOSTS ones (ark-api's CORS_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Serve HTTPS (ark-apiserver). */
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Maps a request URL to the one routed (before routing, hooks and auth), e.g. another route style onto the service's own. */
  rewriteUrl?: (url: string) => string;
}

export type ShutdownHook = () => unknown;

export interface Service<C extends ServiceConfig = ServiceConfig> {
  readonly name: string;
  readonly config: C;
  readonly app: ServiceApp;
  readonly log: FastifyBaseLogger;
  /** This service's Prometheus registry: add your own metrics with `registers: [service.metrics]`. */
  readonly metrics: Registry;
  /** ARK_METRICS: whether /metrics is served; record nothing when it is not. */
  readonly metricsEnabled: boolean;
  /** The database outage of this service: pass it to createPgPool; a route's unreachable-database error is answered 503. */
  readonly databaseOutage: DatabaseOutage;
  start(): Promise<{ url: string }>;
  /** Fails /ready, waits for in-flight requests, then runs shutdown hooks in reverse order. Idempotent. */
  stop(): Promise<void>;
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  onShutdown(hook: ShutdownHook): void;
}

const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

/**
 * Starts a built service listening, for the in-process entry points (`start(config)`): one that cannot (port taken,
 * a bad certificate) is stopped first, so its pools, files and child processes are released, then the error is thrown.
 */
export async function listen(service: Pick<Service, "start" | "stop">): Promise<{ url: string; stop: () => Promise<void> }> {
  try {
    const { url } = await service.start();
    return { url, stop: () => service.stop() };
  } catch (err) {
    await service.stop().catch(() => undefined);
    throw err;
  }
}

function loggerOptions(name: string, config: ServiceConfig, logger: FastifyBaseLogger | undefined): FastifyServerOptions {
  if (logger) {
    const bound = (logger as { bindings?: () => Record<string, unknown> }).bindings?.().service;
    return { loggerInstance: bound === name ? logger : logger.child({ service: name }) };
  }
  return { logger: { level: config.LOG_LEVEL, base: { service: name, pid: process.pid }, mixin: traceLogFields } };
}

function urlHost(address: string): string {
  if (address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "[::1]";
  return address.includes(":") ? `[${address}]` : address;
}

// Marks a plugin as not encapsulated (what fastify-plugin does), so the service's routes share our hooks and handlers.
function unencapsulated<T extends object>(plugin: T): T {
  return Object.assign(plugin, { [Symbol.for("skip-override")]: true });
}

export function createService<C extends ServiceConfig>(options: CreateServiceOptions<C>): Service<C> {
  const { name, config } = options;
  const fastify = Fastify({
    ...loggerOptions(name, config, options.logger),
    ...(options.https ? { https: options.https } : {}),
    bodyLimit: config.BODY_LIMIT_BYTES,
    ...(options.rewriteUrl ? { rewriteUrl: (req: { url?: string }) => options.rewriteUrl!(req.url ?? "/") } : {}),
    genReqId: requestIdFrom,
    // Our onResponse hook logs one line per request instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // With https the raw server is an https.Server; requests and replies are the same node types.
  const app = fastify.withTypeProvider<ZodTypeProvider>() as unknown as ServiceApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const readiness = new Readiness(options.readiness?.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS);
  for (const [checkName, check] of Object.entries(options.readiness?.checks ?? {})) readiness.add(checkName, check);
  const metricsOn = config.ARK_METRICS !== false;
  const metrics = createMetricsRegistry(name, { processMetrics: metricsOn });
  const shutdownHooks: ShutdownHook[] = [];
  let stopping: Promise<void> | undefined;

  registerHttpTracing(app);
  registerRequestLogging(app);
  const databaseOutage = new DatabaseOutage(app.log);
  registerErrorHandling(app, databaseOutage);
  registerJsonDepthLimit(app);
  if (metricsOn) registerHttpMetrics(app, metrics);
  registerHostGuard(app, config.ALLOWED_HOSTS, options.allowedOrigins);
  registerHealthRoutes(app, readiness);
  registerConnectionDraining(app, () => readiness.isShuttingDown);

  const service: Service<C> = {
    name,
    config,
    app,
    log: app.log,
    metrics,
    metricsEnabled: metricsOn,
    databaseOutage,
    async start() {
      await app.listen({ host: config.HOST, port: config.PORT });
      const address = app.server.address() as AddressInfo;
      const url = `${options.https ? "https" : "http"}://${urlHost(address.address)}:${address.port}`;
      app.log.info({ url }, `listening on ${url}`);
      return { url };
    },
    stop() {
      stopping ??= shutDown();
      return stopping;
    },
    addReadinessCheck: (checkName, check) => readiness.add(checkName, check),
    onShutdown: (hook) => void shutdownHooks.push(hook),
  };

  async function shutDown(): Promise<void> {
    readiness.markShuttingDown();
    await app.close();
    const failures: unknown[] = [];
    for (const hook of [...shutdownHooks].reverse()) {
      try {
        await hook();
      } catch (err) {
        app.log.error({ err }, "shutdown hook failed");
        failures.push(err);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} shutdown hook(s) failed`);
  }

  if (options.register) {
    const register = options.register;
    app.register(unencapsulated(async (instance: ServiceApp) => register(instance, service)));
  }
  return service;
}
