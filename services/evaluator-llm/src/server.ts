import { openQueryBus, type QueryBus } from "@ark/bus";
import type { ProviderOptions } from "@ark/engine";
import { apiValueSourceReader, createArkClient, createCoreClient, loadKubeConfig } from "@ark/kube";
import { busOptions, createService, listen, loadConfig, type CreateServiceOptions, type Service } from "@ark/service-kit";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import { registerCallerAuth } from "./auth/caller-namespace.js";
import { evaluatorConfig, type EvaluatorConfig } from "./config.js";
import { registerEvaluateRoute } from "./routes/evaluate.js";

export { evaluatorConfig, type EvaluatorConfig } from "./config.js";

export interface EvaluatorServiceOptions {
  /** A parent logger (the dev stack passes one). */
  logger?: CreateServiceOptions<EvaluatorConfig>["logger"];
  /** The API to use instead of KUBECONFIG (the dev stack and tests pass one). */
  kubeConfig?: KubeConfig;
  /** The bus the controller's workers publish events on (the dev stack's); not closed on stop. Else opened from NATS_URL. */
  bus?: QueryBus<QueryEvent>;
  /** Connection pools and retries of the judge's provider calls (tests shorten retries). */
  providerOptions?: ProviderOptions;
}

export interface RunningEvaluatorService {
  url: string;
  service: Service<EvaluatorConfig>;
  stop(): Promise<void>;
}

/** Builds the service (clients made, bus opened) without listening; runService calls start(). */
export async function createEvaluatorService(config: EvaluatorConfig, options: EvaluatorServiceOptions = {}): Promise<Service<EvaluatorConfig>> {
  const kc = options.kubeConfig ?? loadKubeConfig(config.KUBECONFIG ? { kubeconfigPath: config.KUBECONFIG } : {});
  const opened = options.bus ? undefined : await openQueryBus<QueryEvent>(busOptions(config));
  const deps = {
    ark: createArkClient(kc),
    values: apiValueSourceReader(createCoreClient(kc)),
    bus: options.bus ?? opened!.bus,
    judgeTimeoutMs: config.JUDGE_TIMEOUT,
    judgeConcurrency: config.JUDGE_CONCURRENCY,
    ...(options.providerOptions ? { providerOptions: options.providerOptions } : {}),
  };
  const service = createService({
    name: "evaluator-llm",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => {
      registerCallerAuth(app, config);
      registerEvaluateRoute(app, deps);
    },
  });
  service.onShutdown(() => opened?.bus.close());
  if (opened?.kind === "memory") service.log.warn("query bus: in-process (NATS_URL unset): event evaluations see only queries run in this process");
  if (config.EVALUATOR_AUTH === "none") service.log.warn("EVALUATOR_AUTH=none: any caller may evaluate with any namespace's models");
  return service;
}

/** Starts evaluator-llm in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: EvaluatorConfig = loadConfig(evaluatorConfig), options: EvaluatorServiceOptions = {}): Promise<RunningEvaluatorService> {
  const service = await createEvaluatorService(config, options);
  const { url, stop } = await listen(service);
  return { url, service, stop };
}
