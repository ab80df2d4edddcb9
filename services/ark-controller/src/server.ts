import { networkInterfaces } from "node:os";
import { openQueryBus, type QueryBus, type RunConsumer } from "@ark/bus";
import { ToolCallbackSessions, type ProviderOptions } from "@ark/engine";
import { loadKubeConfig, withKeepAlive } from "@ark/kube";
import { busOptions, ConfigError, createService, listen, loadConfig, type CreateServiceOptions, type Service, type ServiceApp } from "@ark/service-kit";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import { CONTROLLER_ROLES, controllerConfig, type ControllerConfig } from "./config.js";
import { controllerEgress } from "./egress.js";
import { startReconcilers, type RunningReconcilers } from "./reconcilers/index.js";
import { createControllerMetrics } from "./metrics.js";
import { arkResources } from "./resources.js";
import { startQueryWorker } from "./worker/start-worker.js";
import { autoWorkerConcurrency } from "./worker/worker-concurrency.js";
import { registerToolCallbackRoute } from "./engine-callback/tool-callback-route.js";

export { controllerConfig, type ControllerConfig } from "./config.js";

export interface ControllerOptions {
  logger?: CreateServiceOptions<ControllerConfig>["logger"];
  /** The API to use instead of KUBECONFIG (the dev stack and tests pass one). */
  kubeConfig?: KubeConfig;
  /** A bus shared with other in-process services (the dev stack's in-process bus); not closed on stop. */
  bus?: QueryBus<QueryEvent>;
  providerOptions?: ProviderOptions;
}

export interface ControllerService extends Service<ControllerConfig> {
  /** Whether this replica's reconcilers are active (holds the Lease, or leader election is off). */
  isLeader(): boolean;
}

export interface RunningController {
  url: string;
  service: ControllerService;
  stop(): Promise<void>;
}

/** Starts ark-controller in this process with the roles in ARK_CONTROLLER_ROLES (the dev stack's entry point). */
export async function start(config: ControllerConfig = loadConfig(controllerConfig), options: ControllerOptions = {}): Promise<RunningController> {
  const service = createControllerService(config, options);
  const { url, stop } = await listen(service);
  return { url, service, stop };
}

/** The service; start() opens the bus and starts the roles, then serves /health, /ready and /metrics. */
export function createControllerService(config: ControllerConfig, options: ControllerOptions = {}): ControllerService {
  const roles = new Set(config.ARK_CONTROLLER_ROLES);
  if (!options.bus && !config.NATS_URL && CONTROLLER_ROLES.some((role) => !roles.has(role))) {
    throw new ConfigError([`ARK_CONTROLLER_ROLES: without NATS_URL the in-process bus needs both roles (reconciler,worker) in one process, got "${[...roles].join(",")}"`]);
  }
  // Execution engines call back here to run their agents' tools (docs/architecture.md §8).
  let listeningUrl = `http://127.0.0.1:${config.PORT}`;
  const toolCallbacks = new ToolCallbackSessions(() => config.ENGINE_TOOL_CALLBACK_URL ?? advertisedUrl(config.HOST, listeningUrl));
  const executionEngines = { toolCallbacks, ...(config.ENGINE_TOKEN ? { authToken: config.ENGINE_TOKEN } : {}) };
  const service = createService({
    name: "ark-controller",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(roles.has("worker") ? { register: (app: ServiceApp) => registerToolCallbackRoute(app, toolCallbacks) } : {}),
  });
  const log = service.log;
  let reconcilers: RunningReconcilers | undefined;
  let worker: RunConsumer | undefined;
  const metrics = createControllerMetrics(service.metrics, {
    trackedRuns: () => reconcilers?.trackedRuns() ?? 0,
    queueDepths: () => reconcilers?.queueDepths() ?? {},
    runsInFlight: () => worker?.inFlight ?? 0,
    queriesByPhase: () => reconcilers?.queriesByPhase() ?? [],
  });

  async function startRoles(): Promise<void> {
    const kc = withKeepAlive(options.kubeConfig ?? loadKubeConfig(config.KUBECONFIG ? { kubeconfigPath: config.KUBECONFIG } : {}));
    let bus = options.bus;
    if (!bus) {
      const opened = await openQueryBus<QueryEvent>({
        ...busOptions(config),
        runs: { maxDeliver: config.MAX_DELIVER, ackWaitMs: config.RUN_ACK_WAIT },
      });
      bus = opened.bus;
      const owned = bus;
      service.onShutdown(() => owned.close());
      log.info({ bus: opened.kind }, opened.kind === "memory" ? "query bus: in-process (NATS_URL unset)" : "query bus: NATS JetStream");
    }
    const resources = arkResources(kc);
    const egress = controllerEgress(config);
    service.onShutdown(() => egress.close());
    const providerOptions = { providerOptions: { pools: egress.platformPools, ...options.providerOptions } };
    if (roles.has("worker")) {
      const auto = config.WORKER_CONCURRENCY === "auto" ? autoWorkerConcurrency() : undefined;
      const concurrency = auto?.concurrency ?? (config.WORKER_CONCURRENCY as number);
      const consumer: RunConsumer = await startQueryWorker({
        bus,
        resources,
        kubeConfig: kc,
        impersonateQueries: config.ARK_IMPERSONATE_QUERIES,
        concurrency,
        log,
        ...(service.metricsEnabled ? { metrics } : {}),
        egress: egress.tenant,
        memoryAuthSecret: config.MEMORY_AUTH_SECRET,
        traceContent: config.ARK_TRACE_CONTENT,
        executionEngines,
        ...providerOptions,
      });
      worker = consumer;
      service.onShutdown(() => consumer.close({ graceMs: config.SHUTDOWN_TIMEOUT_MS / 2 }));
      log.info({ concurrency, ...(auto ? { concurrencyBoundBy: auto.boundBy } : {}), impersonateQueries: config.ARK_IMPERSONATE_QUERIES }, "query worker started");
    }
    if (roles.has("reconciler")) {
      const running = await startReconcilers({ kc, bus, resources, config, log, egress, ...(service.metricsEnabled ? { metrics } : {}), ...providerOptions });
      reconcilers = running;
      service.onShutdown(() => running.stop());
      log.info({ leaderElection: config.LEADER_ELECTION }, "reconcilers started");
    }
  }

  return {
    name: service.name,
    config,
    app: service.app,
    log,
    metrics: service.metrics,
    metricsEnabled: service.metricsEnabled,
    databaseOutage: service.databaseOutage,
    addReadinessCheck: (name, check) => service.addReadinessCheck(name, check),
    onShutdown: (hook) => service.onShutdown(hook),
    stop: () => service.stop(),
    isLeader: () => reconcilers?.isLeader() ?? false,
    // Probes answer while the roles start (the API may be slow to sync); /ready waits for them.
    async start() {
      let started = false;
      service.addReadinessCheck("roles", () => {
        if (!started) throw new Error(`starting ${[...roles].join(", ")}`);
      });
      const listening = await service.start();
      listeningUrl = listening.url;
      await startRoles();
      started = true;
      return listening;
    },
  };
}

/**
 * Where engines reach this worker when ENGINE_TOOL_CALLBACK_URL is unset: listening on every address (containers, pods),
 * the first non-internal IPv4 address, which reaches this very replica and passes the host guard; else the listening URL.
 */
function advertisedUrl(host: string, listeningUrl: string): string {
  if (host !== "0.0.0.0" && host !== "::") return listeningUrl;
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;
  if (!address) return listeningUrl;
  const url = new URL(listeningUrl);
  url.hostname = address;
  return url.origin;
}
