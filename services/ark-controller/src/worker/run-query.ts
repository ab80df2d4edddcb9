import { isRunCanceled, type QueryBus, type RunControl, type RunHandler } from "@ark/bus";
import {
  contextEmitter,
  isApprovalPause,
  isEngineError,
  resolveQueryTargets,
  runTargets,
  TokenUsageCollector,
  addUsage,
  type TargetEnvironment,
  type TargetOutcome,
} from "@ark/engine";
import { apiErrorMessage, type Query } from "@ark/kube";
import { isFinishedQueryPhase, queryKind, STREAMING_ANNOTATION, type QueryEvent, type QueryRunJob } from "@ark/types";
import { withSpan } from "@ark/service-kit";
import { context, trace, type Context as OtelContext } from "@opentelemetry/api";
import { querySpanAttributes, queryTraceContext } from "../query-run/query-trace.js";
import { apiLookup } from "../references/api-lookup.js";
import type { ResourceLookup } from "../references/lookup.js";
import type { GrantLookup } from "../references/reference-grants.js";
import type { ControllerMetrics } from "../metrics.js";
import type { ArkResources } from "../resources.js";
import { QueryEventPublisher } from "./event-publisher.js";
import { queryInput } from "./query-input.js";
import { namespaceBoundResolver } from "./namespace-bound-resolver.js";
import { queryMemory } from "./query-memory.js";
import { timeoutMessage } from "../query-run/timeout.js";
import { runSignal } from "./run-signal.js";
import { targetResolver } from "./target-resolver.js";
import { terminalEvent } from "./terminal-event.js";
import { approvalRequestFor, resumePoint, storeApprovalRequest, type ResumePoint } from "./approval-request.js";

export interface QueryRunDeps extends Omit<TargetEnvironment, "resolver"> {
  resources: ArkResources;
  bus: QueryBus<QueryEvent>;
  /** Defaults to fresh API reads. */
  lookup?: ResourceLookup;
  /**
   * When set, what a run reads (targets, Models, Secrets, parameters, memory) is read as the query's service account
   * (spec.serviceAccount, else default) through these resources, uncached, so the API authorizes it as that identity.
   */
  runAs?: (namespace: string, serviceAccount: string) => ArkResources;
  metrics?: Pick<ControllerMetrics, "runs" | "runSeconds">;
  /** MEMORY_AUTH_SECRET: memory requests carry a token for the Memory's namespace. */
  memoryAuthSecret?: string | undefined;
}

/** The service account a query without spec.serviceAccount runs as, as upstream. */
const DEFAULT_SERVICE_ACCOUNT = "default";

/**
 * The worker's job handler: take the Query from the job (or re-read it), run its targets through the engine, publish
 * every event and end with exactly one terminal event. It writes nothing to the Query; the controller does, from the events.
 */
export function queryRunHandler(deps: QueryRunDeps): RunHandler {
  const { resources, bus, lookup, runAs, metrics, memoryAuthSecret, ...shared } = deps;
  const references = lookup ?? apiLookup(resources.ark);
  const environment: TargetEnvironment = { ...shared, resolver: targetResolver(resources, references) };
  const runDeps: RunQueryDeps = { resources, bus, metrics, memoryAuthSecret, environment, grants: references, ...(runAs ? { runAs } : {}) };
  return (job, ctl) => withSpan("query.run", { ...querySpanAttributes(job), "ark.query.attempt": ctl.attempt }, () => runQuery(runDeps, job, ctl), { parent: runTraceContext(job) });
}

/** The bus message's trace (the reconciler's enqueue span), else the one the Query's annotation names (in-process bus). */
function runTraceContext(job: QueryRunJob): OtelContext {
  const active = context.active();
  if (trace.getSpan(active)) return active;
  return job.query ? queryTraceContext(job.query) : active;
}

interface RunQueryDeps extends Pick<QueryRunDeps, "resources" | "bus" | "metrics" | "runAs" | "memoryAuthSecret"> {
  environment: TargetEnvironment;
  /** ReferenceGrants are read with the worker's own identity: they are the boundary, not the query's data. */
  grants: GrantLookup;
}

/** What one run reads through: the worker's resources, or the query's service account's; bounded to the query's namespace. */
function runEnvironment(deps: RunQueryDeps, query: Query, namespace: string): { resources: ArkResources; environment: TargetEnvironment } {
  const resources = deps.runAs?.(namespace, query.spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT);
  const resolver = resources ? targetResolver(resources, apiLookup(resources.ark)) : deps.environment.resolver;
  return { resources: resources ?? deps.resources, environment: { ...deps.environment, resolver: namespaceBoundResolver(resolver, namespace, deps.grants) } };
}

async function runQuery(deps: RunQueryDeps, job: QueryRunJob, ctl: RunControl): Promise<void> {
  const query = await queryToRun(deps.resources, job, ctl);
  // Deleted, recreated under the same name, or already finished: nothing left to run.
  if (!query || query.metadata.uid !== job.queryUid || query.metadata.deletionTimestamp || isFinishedQueryPhase(query.status?.phase)) return;
  const key = `${job.namespace}/${job.name}`;
  // A resume job whose request is gone, undecided or not this query's has nothing to do (docs/architecture.md §3.2).
  let resume: ResumePoint | undefined;
  if (job.resume) {
    resume = await resumePoint(deps.resources, job);
    if (!resume) return;
  }
  const publisher = new QueryEventPublisher(deps.bus, job);
  // Every llm.call.completed once: runTargets emits the target events itself, through this same sink.
  const usage = new TokenUsageCollector(publisher.sink);
  const emit = contextEmitter(usage.sink, {})!;
  const timeout = timeoutMessage(key, query.spec.timeout);
  const run = runSignal(ctl.signal, job.deadline, timeout);
  const started = performance.now();
  const { resources, environment } = runEnvironment(deps, query, job.namespace);
  try {
    // A failed list is the API's problem, not the query's: thrown, so the bus retries the run.
    const targets = await resolveQueryTargets(query.spec, job.namespace, environment.resolver);
    if (!resume) emit({ type: "query.started", namespace: job.namespace, name: job.name, targets });
    // Only a single agent target pauses; elsewhere an approval-required call is refused to the model.
    const approvals = targets.length === 1 && targets[0]!.type === "agent" ? (resume?.approvals ?? {}) : undefined;
    let outcomes: TargetOutcome[] = [];
    let failure: { message: string; code?: string } | undefined;
    try {
      const { input, parameters: queryParameters } = await queryInput(query, resources);
      const stream = query.metadata.annotations?.[STREAMING_ANNOTATION] === "true";
      const memory = await queryMemory(query, resources, deps.grants, environment.providerOptions?.pools, deps.memoryAuthSecret);
      ({ outcomes } = await runTargets({
        ...environment,
        namespace: job.namespace,
        targets,
        input,
        signal: run.signal,
        emit: usage.sink,
        stream,
        describeError: apiErrorMessage,
        ...(queryParameters ? { queryParameters } : {}),
        query: { name: job.name, namespace: job.namespace, uid: job.queryUid, ...(job.deadline ? { deadline: job.deadline } : {}) },
        ...(memory ? { memory } : {}),
        ...(approvals ? { approvals } : {}),
      }));
    } catch (error) {
      if (isApprovalPause(error) && !run.signal.aborted) {
        // The run's state goes into the request and the job ends: no worker waits for the person.
        const request = approvalRequestFor(job, error.state);
        await storeApprovalRequest(deps.resources, request);
        emit({
          type: "tool.approval.requested",
          request: request.metadata.name ?? "",
          toolCalls: request.spec.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
        });
        await publisher.flush();
        return;
      }
      failure = isEngineError(error) ? { message: error.message, code: error.code } : { message: `query ${key}: ${apiErrorMessage(error)}` };
    }
    // A worker shutting down leaves the run to another worker: no terminal event, no ack.
    if (ctl.signal.aborted && !run.timedOut && !isRunCanceled(ctl.signal)) throw ctl.signal.reason;
    const end = terminalEvent({
      outcomes,
      ...(failure ? { failure } : {}),
      busSignal: ctl.signal,
      timedOut: run.timedOut,
      timeoutMessage: timeout,
      tokenUsage: resume ? addUsage(resume.tokenUsage, usage.usage) : usage.usage,
      durationMs: performance.now() - started,
    });
    emit(end);
    deps.metrics?.runs.inc({ outcome: end.type.replace("query.", "") });
    deps.metrics?.runSeconds.observe((performance.now() - started) / 1000);
  } finally {
    run.dispose();
  }
  await publisher.flush();
}

/**
 * The Query the job carries on its first delivery (the controller just saw it runnable; a cancel or delete since
 * reaches the run over the bus), else read from the API: a redelivery may find it finished or deleted meanwhile.
 */
async function queryToRun(resources: ArkResources, job: QueryRunJob, ctl: RunControl): Promise<Query | undefined> {
  if (job.query && ctl.attempt === 1) {
    const { metadata, spec } = job.query;
    return { apiVersion: `${queryKind.group}/${queryKind.version}`, kind: queryKind.kind, metadata: { ...metadata, generation: job.generation }, spec };
  }
  return resources.ark.queries.get(job.namespace, job.name);
}
