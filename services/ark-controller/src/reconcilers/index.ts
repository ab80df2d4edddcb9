import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { QueryBus } from "@ark/bus";
import type { ProviderOptions } from "@ark/engine";
import { cachedValueSourceReader, createController, type ControllerOptions, createEventRecorder, createLeaderElector, type Controller, type LeaderElector } from "@ark/kube";
import type { Log } from "@ark/service-kit";
import type { BusQueryRef, QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ControllerConfig } from "../config.js";
import type { ControllerEgress } from "../egress.js";
import { queryKubeEvent } from "../query-run/kube-events.js";
import { RunTracker } from "../query-run/run-tracker.js";
import { arkResources, type ArkResources } from "../resources.js";
import { QueryEvaluators } from "../evaluation/query-evaluations.js";
import { a2aServerOfAgent, a2aServerReconciler } from "./a2a-server.js";
import { agentReconciler } from "./agent.js";
import { evaluationReconciler, parentEvaluations } from "./evaluation.js";
import { evaluatorReconciler, evaluatorsSelecting } from "./evaluator.js";
import { cacheLookup, createCaches, startCaches, stopCaches } from "./caches.js";
import { mcpServerOfTool, mcpServerReconciler } from "./mcp-server.js";
import { memoryReconciler } from "./memory.js";
import { executionEngineReconciler } from "./execution-engine.js";
import { modelReconciler } from "./model.js";
import { queryReconciler } from "./query.js";
import { teamReconciler } from "./team.js";
import { toolReconciler } from "./tool.js";
import { approvalRequestsOfQuery, toolApprovalReconciler } from "./tool-approval-request.js";
import { countQueriesByPhase, reconcileObserver, type ControllerMetrics } from "../metrics.js";
import { agentsUsingModel, grantedNamespaces, sameNamespace, waitingQueries } from "./watch-maps.js";

export interface ReconcilersOptions {
  kc: KubeConfig;
  bus: QueryBus<QueryEvent>;
  resources: ArkResources;
  config: Pick<
    ControllerConfig,
    | "RECONCILE_CONCURRENCY"
    | "LEADER_ELECTION"
    | "LEADER_ELECTION_NAMESPACE"
    | "LEADER_ELECTION_LEASE_DURATION"
    | "POD_NAME"
    | "MODEL_PROBE_INTERVAL"
    | "MODEL_PROBE_TIMEOUT"
    | "QUERY_REFERENCE_WAIT"
    | "QUERY_DEADLINE_GRACE"
    | "QUERY_RUNNING_WRITE_DELAY"
    | "EVALUATOR_AUTH_SECRET"
  >;
  log: Log;
  providerOptions?: ProviderOptions;
  /** MCP and A2A discovery go through `tenant`, memory probes through `platform`; metadata-only guards by default. */
  egress?: Pick<ControllerEgress, "tenant" | "platform">;
  /** Reconcile latency and errors, query phases and durations, event delivery lag (docs/architecture.md §9.2). */
  metrics?: Pick<ControllerMetrics, "reconcileDuration" | "reconcileErrors" | "queries" | "queryDuration" | "busLag">;
}

export interface RunningReconcilers {
  isLeader(): boolean;
  /** Running queries whose events this replica follows. */
  trackedRuns(): number;
  /** Keys waiting in each controller's work queue (none while not leading). */
  queueDepths(): Record<string, number>;
  /** Queries in the cache by phase and target type (the cache is warm on every replica, leading or not). */
  queriesByPhase(): ReturnType<typeof countQueriesByPhase>;
  stop(): Promise<void>;
}

export const LEASE_NAME = "ark-controller";
/** How long a stop waits for recorded Kubernetes Events to be written. */
const EVENTS_DRAIN_MS = 5_000;

/** The reconciler role: informers always warm; controllers run only while this replica holds the Lease. */
export async function startReconcilers(options: ReconcilersOptions): Promise<RunningReconcilers> {
  const { kc, bus, resources, config, log } = options;
  const caches = createCaches(kc, log);
  const lookup = cacheLookup(caches);
  // Reconcilers read Secrets and ConfigMaps from their informer caches (workers from read-through caches of their own).
  const cached = arkResources(kc, cachedValueSourceReader(caches));
  const events = createEventRecorder(kc, { component: "ark-controller" });
  let queries: Controller | undefined;
  let evaluations: Controller | undefined;
  let queryEvaluators: QueryEvaluators | undefined;
  let evaluationCalls: ReturnType<typeof evaluationReconciler> | undefined;
  const caller = {
    ...(options.egress ? { egress: options.egress.platform } : {}),
    ...(config.EVALUATOR_AUTH_SECRET ? { authSecret: config.EVALUATOR_AUTH_SECRET } : {}),
  };
  const runs = new RunTracker({
    bus,
    log,
    onEvent: (ref, event, replayed) => {
      const kube = replayed ? undefined : queryKubeEvent(event, ref);
      if (kube) void events.record(queryObject(ref), { type: "Normal", ...kube }).catch(() => undefined);
    },
    onFinished: (ref) => queries?.enqueue(`${ref.namespace}/${ref.name}`),
    ...(options.metrics ? { deliveryLag: (seconds: number) => options.metrics!.busLag.observe({ kind: "event" }, seconds) } : {}),
  });
  const concurrency = config.RECONCILE_CONCURRENCY;
  const observer = options.metrics ? reconcileObserver(options.metrics) : undefined;
  // The running controllers by name, for the work-queue depth gauge.
  const byName = new Map<string, Controller>();
  const newController = (controllerOptions: ControllerOptions): Controller => {
    const controller = createController({ ...controllerOptions, ...(observer ? { observer } : {}) });
    byName.set(controllerOptions.name, controller);
    return controller;
  };
  let controllers: Controller[] = [];
  let leading = false;

  const lead = async (): Promise<void> => {
    leading = true;
    queryEvaluators = new QueryEvaluators({
      evaluators: caches.evaluators,
      resolveValueSource: cached.resolveValueSource,
      caller,
      grants: lookup,
      enqueue: (key) => queries?.enqueue(key),
    });
    queries = newController({
      name: "query",
      concurrency,
      log,
      reconcile: queryReconciler({
        queries: caches.queries,
        lookup,
        values: cached,
        ark: resources.ark,
        bus,
        runs,
        events,
        referenceWaitMs: config.QUERY_REFERENCE_WAIT,
        deadlineGraceMs: config.QUERY_DEADLINE_GRACE,
        runningWriteDelayMs: config.QUERY_RUNNING_WRITE_DELAY,
        evaluators: queryEvaluators,
        ...(options.metrics ? { metrics: options.metrics } : {}),
      }),
    })
      .watch(caches.queries)
      .watch(caches.agents, waitingQueries(caches.queries))
      .watch(caches.teams, waitingQueries(caches.queries))
      .watch(caches.models, waitingQueries(caches.queries))
      .watch(caches.tools, waitingQueries(caches.queries))
      .watch(caches.secrets, waitingQueries(caches.queries))
      .watch(caches.configMaps, waitingQueries(caches.queries))
      .watch(caches.memories, waitingQueries(caches.queries))
      .watch(
        caches.referenceGrants,
        grantedNamespaces((namespace) => waitingQueries(caches.queries)({ metadata: { namespace } })),
      );
    evaluationCalls = evaluationReconciler({
      evaluations: caches.evaluations,
      evaluators: caches.evaluators,
      queries: caches.queries,
      resources: cached,
      caller,
      events,
      grants: lookup,
      referenceWaitMs: config.QUERY_REFERENCE_WAIT,
      enqueue: (key) => evaluations?.enqueue(key),
    });
    evaluations = newController({ name: "evaluation", concurrency, log, reconcile: evaluationCalls })
      .watch(caches.evaluations)
      .watch(caches.evaluations, parentEvaluations(caches.evaluations))
      .watch(caches.queries, parentEvaluations(caches.evaluations))
      .watch(caches.evaluators, parentEvaluations(caches.evaluations))
      .watch(caches.configMaps, sameNamespace(caches.evaluations));
    controllers = [
      queries,
      evaluations,
      newController({
        name: "evaluator",
        concurrency,
        log,
        reconcile: evaluatorReconciler({
          evaluators: caches.evaluators,
          queries: caches.queries,
          evaluations: caches.evaluations,
          resources: cached,
          events,
          ...(options.egress ? { egress: options.egress.platform } : {}),
        }),
      })
        .watch(caches.evaluators)
        .watch(caches.queries, evaluatorsSelecting(caches.evaluators))
        .watch(caches.secrets, sameNamespace(caches.evaluators))
        .watch(caches.configMaps, sameNamespace(caches.evaluators))
        .watch(caches.services, sameNamespace(caches.evaluators)),
      newController({
        name: "model",
        concurrency,
        log,
        reconcile: modelReconciler({
          models: caches.models,
          resources: cached,
          events,
          probeIntervalMs: config.MODEL_PROBE_INTERVAL,
          probeTimeoutMs: config.MODEL_PROBE_TIMEOUT,
          ...(options.providerOptions ? { providerOptions: options.providerOptions } : {}),
        }),
      })
        .watch(caches.models)
        .watch(caches.secrets, sameNamespace(caches.models))
        .watch(caches.configMaps, sameNamespace(caches.models)),
      newController({ name: "agent", concurrency, log, reconcile: agentReconciler({ agents: caches.agents, lookup, ark: resources.ark }) })
        .watch(caches.agents)
        .watch(caches.models, agentsUsingModel(caches.agents))
        .watch(caches.tools, sameNamespace(caches.agents))
        .watch(
          caches.referenceGrants,
          grantedNamespaces((namespace) => sameNamespace(caches.agents)({ metadata: { namespace } })),
        ),
      newController({ name: "team", concurrency, log, reconcile: teamReconciler({ teams: caches.teams, lookup, ark: resources.ark }) })
        .watch(caches.teams)
        .watch(caches.agents, sameNamespace(caches.teams))
        .watch(caches.teams, sameNamespace(caches.teams))
        .watch(caches.models, sameNamespace(caches.teams)),
      newController({ name: "tool", concurrency, log, reconcile: toolReconciler({ tools: caches.tools, ark: resources.ark }) }).watch(caches.tools),
      newController({
        name: "toolapprovalrequest",
        concurrency,
        log,
        reconcile: toolApprovalReconciler({ requests: caches.toolApprovalRequests, queries: caches.queries, ark: resources.ark, bus, events }),
      })
        .watch(caches.toolApprovalRequests)
        .watch(caches.queries, approvalRequestsOfQuery(caches.toolApprovalRequests)),
      newController({
        name: "mcpserver",
        concurrency,
        log,
        reconcile: mcpServerReconciler({
          mcpServers: caches.mcpServers,
          tools: caches.tools,
          resources: cached,
          values: cachedValueSourceReader(caches),
          events,
          ...(options.egress ? { egress: options.egress.tenant } : {}),
        }),
      })
        .watch(caches.mcpServers)
        .watch(caches.tools, mcpServerOfTool)
        .watch(caches.secrets, sameNamespace(caches.mcpServers))
        .watch(caches.configMaps, sameNamespace(caches.mcpServers))
        .watch(caches.services, sameNamespace(caches.mcpServers)),
      newController({ name: "memory", concurrency, log, reconcile: memoryReconciler({ memories: caches.memories, resources: cached, events, ...(options.egress ? { egress: options.egress.platform } : {}) }) })
        .watch(caches.memories)
        .watch(caches.secrets, sameNamespace(caches.memories))
        .watch(caches.configMaps, sameNamespace(caches.memories))
        .watch(caches.services, sameNamespace(caches.memories)),
      newController({
        name: "executionengine",
        concurrency,
        log,
        reconcile: executionEngineReconciler({ engines: caches.executionEngines, resources: cached, events, ...(options.egress ? { egress: options.egress.platform } : {}) }),
      })
        .watch(caches.executionEngines)
        .watch(caches.secrets, sameNamespace(caches.executionEngines))
        .watch(caches.configMaps, sameNamespace(caches.executionEngines))
        .watch(caches.services, sameNamespace(caches.executionEngines)),
      newController({
        name: "a2aserver",
        concurrency,
        log,
        reconcile: a2aServerReconciler({
          a2aServers: caches.a2aServers,
          agents: caches.agents,
          resources: cached,
          values: cachedValueSourceReader(caches),
          events,
          ...(options.egress ? { egress: options.egress.tenant } : {}),
        }),
      })
        .watch(caches.a2aServers)
        .watch(caches.agents, a2aServerOfAgent)
        .watch(caches.secrets, sameNamespace(caches.a2aServers))
        .watch(caches.configMaps, sameNamespace(caches.a2aServers))
        .watch(caches.services, sameNamespace(caches.a2aServers)),
    ];
    await Promise.all(controllers.map((controller) => controller.start()));
  };

  const unlead = async (): Promise<void> => {
    leading = false;
    const stopping = controllers;
    controllers = [];
    byName.clear();
    queries = undefined;
    evaluations = undefined;
    await Promise.all(stopping.map((controller) => controller.stop()));
    runs.stopAll();
    queryEvaluators?.stopAll();
    evaluationCalls?.stop();
  };

  await startCaches(caches);
  let elector: LeaderElector | undefined;
  if (config.LEADER_ELECTION) {
    elector = createLeaderElector(kc, {
      namespace: config.LEADER_ELECTION_NAMESPACE,
      name: LEASE_NAME,
      identity: config.POD_NAME ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
      leaseDurationSeconds: Math.max(1, Math.round(config.LEADER_ELECTION_LEASE_DURATION / 1000)),
      renewDeadlineMs: Math.round(config.LEADER_ELECTION_LEASE_DURATION * (2 / 3)),
      retryPeriodMs: Math.max(200, Math.round(config.LEADER_ELECTION_LEASE_DURATION / 7)),
      onStartedLeading: lead,
      onStoppedLeading: unlead,
      onNewLeader: (identity) => log.info({ identity }, "ark-controller leader"),
      log,
    });
    elector.start();
  } else {
    await lead();
  }

  return {
    isLeader: () => leading,
    trackedRuns: () => runs.size,
    queriesByPhase: () => countQueriesByPhase(caches.queries.list()),
    queueDepths: () => Object.fromEntries([...byName].map(([name, controller]) => [name, controller.depth()])),
    async stop() {
      if (elector) await elector.stop();
      else await unlead();
      // The Events the stopped reconcilers recorded are written before the process lets go of the API (bounded).
      await events.close(EVENTS_DRAIN_MS);
      await stopCaches(caches);
    },
  };
}

function queryObject(ref: BusQueryRef) {
  return { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Query", metadata: { name: ref.name, namespace: ref.namespace, uid: ref.queryUid } };
}
