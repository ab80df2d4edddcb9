import { isRunCanceled, type QueryBus, type RunControl, type RunHandler } from "@ark/bus";
import {
  contextEmitter,
  isApprovalPause,
  isEngineError,
  queryTargetField,
  resolveQueryTargets,
  runTargets,
  TokenUsageCollector,
  addUsage,
  withTraceContent,
  type StepEvent,
  type TraceContentMode,
  type TargetEnvironment,
  type TargetOutcome,
} from "@ark/engine";
import { apiErrorMessage, type Query } from "@ark/kube";
import {
  ClassifiedError,
  classifyError,
  isFinishedQueryPhase,
  MEMORY_HYDRATE_SYSTEM_ANNOTATION,
  queryKind,
  STREAMING_ANNOTATION,
  type QueryEvent,
  type QueryFailure,
  type QueryRunJob,
  type QueryTarget,
} from "@ark/types";
import { withSpan } from "@ark/service-kit";
import { context, SpanStatusCode, trace, type Context as OtelContext } from "@opentelemetry/api";
import { querySpanAttributes, queryTraceContext } from "../query-run/query-trace.js";
import { apiLookup } from "../references/api-lookup.js";
import type { ResourceLookup } from "../references/lookup.js";
import type { GrantLookup } from "../references/reference-grants.js";
import { observeRunEvent, targetTypeOf, type ControllerMetrics } from "../metrics.js";
import type { ArkResources } from "../resources.js";
import { QueryEventPublisher } from "./event-publisher.js";
import { queryInput, queryOverrides } from "./query-input.js";
import { namespaceBoundResolver } from "./namespace-bound-resolver.js";
import { queryMemory } from "./query-memory.js";
import { timeoutMessage } from "../query-run/timeout.js";
import { runSignal } from "./run-signal.js";
import { a2aTaskRecorder } from "./a2a-task-recorder.js";
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
  metrics?: Pick<ControllerMetrics, "runs" | "runSeconds" | "queueTime" | "busLag" | "busRedeliveries" | "modelCalls" | "modelTokens" | "toolCalls" | "toolDuration">;
  /** MEMORY_AUTH_SECRET: memory requests carry a token for the Memory's namespace. */
  memoryAuthSecret?: string | undefined;
  /** ARK_TRACE_CONTENT: how much prompt and completion text the run's spans carry (default none). */
  traceContent?: TraceContentMode | undefined;
}

/** The service account a query without spec.serviceAccount runs as, as upstream. */
const DEFAULT_SERVICE_ACCOUNT = "default";

/**
 * The worker's job handler: take the Query from the job (or re-read it), run its targets through the engine, publish
 * every event and end with exactly one terminal event. It writes nothing to the Query; the controller does, from the events.
 */
export function queryRunHandler(deps: QueryRunDeps): RunHandler {
  const { resources, bus, lookup, runAs, metrics, memoryAuthSecret, traceContent = "none", ...shared } = deps;
  const references = lookup ?? apiLookup(resources.ark);
  const environment: TargetEnvironment = { ...shared, resolver: targetResolver(resources, references) };
  const runDeps: RunQueryDeps = { resources, bus, metrics, memoryAuthSecret, environment, grants: references, ...(runAs ? { runAs } : {}) };
  // The run's spans carry as much content as ARK_TRACE_CONTENT allows (docs/architecture.md §9.1).
  return (job, ctl) => {
    if (metrics) observeDelivery(metrics, job, ctl);
    return withSpan("query.run", { ...querySpanAttributes(job), "ark.query.attempt": ctl.attempt }, () => runQuery(runDeps, job, ctl), {
      parent: withTraceContent(runTraceContext(job), traceContent),
    });
  };
}

/** A first delivery's wait since the reconciler enqueued it (queue time, bus lag); a later one is a redelivery. */
function observeDelivery(metrics: NonNullable<QueryRunDeps["metrics"]>, job: QueryRunJob, ctl: RunControl): void {
  if (ctl.attempt > 1) return void metrics.busRedeliveries.inc();
  const enqueued = Date.parse(job.enqueuedAt);
  if (Number.isNaN(enqueued)) return;
  const seconds = Math.max(0, Date.now() - enqueued) / 1000;
  metrics.busLag.observe({ kind: "run" }, seconds);
  // A resumed run (after a tool approval) waited for a person, not for a worker.
  if (!job.resume) metrics.queueTime.observe({ target_type: targetTypeOf(job.query?.spec) }, seconds);
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
function runEnvironment(deps: RunQueryDeps, query: Query, job: QueryRunJob): { resources: ArkResources; environment: TargetEnvironment } {
  const namespace = job.namespace;
  const resources = deps.runAs?.(namespace, query.spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT);
  const resolver = resources ? targetResolver(resources, apiLookup(resources.ark)) : deps.environment.resolver;
  // The worker itself records remote A2A tasks (as it creates ToolApprovalRequests), owned by the Query.
  const a2aTasks = a2aTaskRecorder(deps.resources, job);
  return { resources: resources ?? deps.resources, environment: { ...deps.environment, resolver: namespaceBoundResolver(resolver, namespace, deps.grants), a2aTasks } };
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
  const metrics = deps.metrics;
  const sink: typeof publisher.sink = metrics
    ? (event) => {
        observeRunEvent(metrics, event);
        publisher.sink(event);
      }
    : publisher.sink;
  const usage = new TokenUsageCollector(sink);
  const emit = contextEmitter(usage.sink, {})!;
  const timeout = timeoutMessage(key, query.spec.timeout);
  const run = runSignal(ctl.signal, job.deadline, timeout);
  const started = performance.now();
  const { resources, environment } = runEnvironment(deps, query, job);
  try {
    let outcomes: TargetOutcome[] = [];
    let failure: RunFailure | undefined;
    let targets: QueryTarget[] = [];
    let prepared: PreparedRun | undefined;
    try {
      targets = await resolveQueryTargets(query.spec, job.namespace, environment.resolver);
      prepared = await prepareRun(deps, query, resources, environment);
    } catch (error) {
      failure = terminalFailure(error, key, run.signal);
    }
    if (!resume) emit({ type: "query.started", namespace: job.namespace, name: job.name, targets });
    // A single agent or team target pauses (and agents or teams they call as tools); with several targets running at
    // once an approval-required call is refused to the model.
    const approvals = targets.length === 1 && (targets[0]!.type === "agent" || targets[0]!.type === "team") ? (resume?.approvals ?? {}) : undefined;
    if (prepared)
      try {
        const { input, queryParameters, priorMessages, overrides, memory } = prepared;
        ({ outcomes } = await runTargets({
          ...environment,
          namespace: job.namespace,
          targets,
          fieldOf: (index) => queryTargetField(query.spec, index),
          input,
          ...(priorMessages ? { priorMessages } : {}),
          signal: run.signal,
          emit: usage.sink,
          stream: query.metadata.annotations?.[STREAMING_ANNOTATION] === "true",
          describeError: apiErrorMessage,
          ...(queryParameters ? { queryParameters } : {}),
          ...(overrides ? { overrides } : {}),
          query: { name: job.name, namespace: job.namespace, uid: job.queryUid, ...(job.deadline ? { deadline: job.deadline } : {}) },
          ...(memory ? { memory, hydrateSystemMessages: query.metadata.annotations?.[MEMORY_HYDRATE_SYSTEM_ANNOTATION] === "true" } : {}),
          ...(approvals ? { approvals } : {}),
        }));
      } catch (error) {
        if (isApprovalPause(error) && !run.signal.aborted) {
          // The run's state goes into the request and the job ends: no worker waits for the person.
          const request = approvalRequestFor(job, error.state, resume ? addUsage(resume.tokenUsage, usage.usage) : usage.usage);
          await storeApprovalRequest(deps.resources, request);
          emit({
            type: "tool.approval.requested",
            request: request.metadata.name ?? "",
            toolCalls: request.spec.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
          });
          await publisher.flush();
          return;
        }
        failure = failureOf(error, key);
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
    markRunSpan(end);
    deps.metrics?.runs.inc({ outcome: end.type.replace("query.", "") });
    deps.metrics?.runSeconds.observe((performance.now() - started) / 1000);
  } finally {
    run.dispose();
  }
  await publisher.flush();
}

/** What a run reads before its first target starts; a failure here has changed nothing yet. */
async function prepareRun(deps: RunQueryDeps, query: Query, resources: ArkResources, environment: TargetEnvironment) {
  const { input, parameters: queryParameters, priorMessages } = await queryInput(query, resources);
  const overrides = await queryOverrides(query, resources, queryParameters);
  const memory = await queryMemory(query, resources, deps.grants, environment.providerOptions?.pools, deps.memoryAuthSecret, queryParameters ?? {});
  return { input, queryParameters, priorMessages, overrides, memory };
}

type PreparedRun = Awaited<ReturnType<typeof prepareRun>>;

type RunFailure = { message: string } & QueryFailure;

/**
 * What the query's status and Event say of a failure: the engine's message (it names the resource), else the query and
 * the API's words; the code when classified, and always its origin and whether another attempt may succeed.
 */
function failureOf(error: unknown, key: string): RunFailure {
  const message = isEngineError(error) ? error.message : `query ${key}: ${apiErrorMessage(error)}`;
  const { origin, retryable } = classifyError(error);
  return { message, ...(error instanceof ClassifiedError ? { code: error.code } : {}), origin, retryable };
}

/**
 * A failure before any target ran, by its classification (docs/architecture.md §10): a retryable one (a lost API, database
 * or bus connection; a third party's 429/5xx) is thrown, so the bus redelivers the run with backoff; a user's ends the query.
 */
function terminalFailure(error: unknown, key: string, run: AbortSignal): RunFailure {
  if (classifyError(error).retryable && !run.aborted) throw error;
  return failureOf(error, key);
}

/** query.run says how the run ended: its outcome and tokens, and status ERROR with the reason when it failed. */
function markRunSpan(end: StepEvent): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  span.setAttribute("ark.query.outcome", end.type.replace("query.", ""));
  if ("tokenUsage" in end && end.tokenUsage) span.setAttributes({ "gen_ai.usage.input_tokens": end.tokenUsage.promptTokens, "gen_ai.usage.output_tokens": end.tokenUsage.completionTokens });
  if (end.type === "query.failed") span.setStatus({ code: SpanStatusCode.ERROR, message: end.message });
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
