import {
  apiErrorMessage,
  isConflict,
  keyOf,
  patchStatus,
  splitKey,
  writtenObjects,
  type Evaluation,
  type Evaluator,
  type EventRecorder,
  type InformerCache,
  type MergePatch,
  type Query,
  type ReconcileResult,
  type WrittenObjects,
} from "@ark/kube";
import {
  EvaluationAnnotations,
  EvaluationLabels,
  formatDuration,
  GROUP,
  isFinishedEvaluationPhase,
  matchesLabelSelector,
  parseDataset,
  parseDuration,
  type BaselineCase,
  type EvaluationSpec,
  type EvaluationStatus,
  type EvaluatorResponse,
  type TokenUsage,
  type UnifiedEvaluationRequest,
} from "@ark/types";
import { callEvaluator, type EvaluatorCaller } from "../evaluation/evaluator-client.js";
import { evaluatorParameters } from "../evaluation/parameters.js";
import type { ArkResources } from "../resources.js";
import { referenceGrantProblem, type GrantLookup } from "../references/reference-grants.js";
import { timeOf } from "../query-run/status.js";

export interface EvaluationReconcilerDeps {
  evaluations: InformerCache<Evaluation>;
  evaluators: InformerCache<Evaluator>;
  queries: InformerCache<Query>;
  resources: Pick<ArkResources, "ark" | "resolveValueSource" | "values">;
  caller: EvaluatorCaller;
  events: EventRecorder;
  /** An Evaluator, Query or Evaluation of another namespace is used only when a ReferenceGrant there allows it. */
  grants: GrantLookup;
  /** How long a missing Evaluator or dataset ConfigMap is waited for (any apply order) before the evaluation fails. */
  referenceWaitMs: number;
  /** Wakes the reconcile of a key when an evaluator call it started has answered. */
  enqueue(key: string): void;
}

// Long TTLs exceed what a timer holds; waking hourly to re-check costs nothing.
const MAX_REQUEUE_MS = 60 * 60_000;
/** Upstream's evaluator timeouts: 30 s, 120 s for baseline. */
const CALL_TIMEOUT_MS = { default: 30_000, baseline: 120_000 };
const API_VERSION = `${GROUP}/v1alpha1`;

type Outcome = { response: EvaluatorResponse } | { error: string };

interface Call {
  /** The Evaluation's key, to abort its calls when it goes. */
  key: string;
  abort: AbortController;
  outcome?: Outcome;
}

type Wait = { wait: string };
type Child = { name: string; spec: Record<string, unknown> };
type CaseRow = NonNullable<EvaluationStatus["dataset"]>["cases"][number];

interface Context extends EvaluationReconcilerDeps {
  written: WrittenObjects<Evaluation>;
  /** Evaluator calls in flight or answered and not yet written, by `<uid>` or `<uid>/<case>`. */
  calls: Map<string, Call>;
  /** Children and dataset Queries this process created, by parent uid: counted as running before the cache shows them. */
  created: Map<string, Set<string>>;
}

/**
 * Evaluation (docs/upstream-compat.md §5.9, §10.4, §10.5; docs/architecture.md §3.1): direct, query, baseline and event call the
 * evaluator once with the unified request (the call runs beside the reconcile, which requeues until it answered);
 * batch creates children (items, template × querySelector) at most `concurrency` at a time and aggregates them with
 * the `evaluations` it names; a baseline over a dataset runs a Query per case against the target and judges each.
 * `timeout` ends it `error`; `ttl` deletes it once finished.
 */
export function evaluationReconciler(deps: EvaluationReconcilerDeps) {
  const ctx: Context = { ...deps, written: writtenObjects(deps.evaluations), calls: new Map(), created: new Map() };
  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const evaluation = ctx.written.get(namespace, name);
    if (!evaluation || evaluation.metadata.deletionTimestamp) {
      abortCalls(ctx, key);
      return;
    }
    if (isFinishedEvaluationPhase(evaluation.status?.phase)) {
      abortCalls(ctx, key);
      return expireWhenDue(ctx, evaluation);
    }
    let current = evaluation;
    if (current.status?.phase !== "running") {
      current = await writeStatus(ctx, current, { phase: "running", message: "Starting evaluation", ...generationOf(current) });
    }
    const deadline = timeOf(current.metadata.creationTimestamp) + parseDuration(current.spec.timeout);
    if (Date.now() >= deadline) {
      abortCalls(ctx, key);
      await finish(ctx, current, { phase: "error", message: `Evaluation timed out: no result within spec.timeout ${current.spec.timeout}` });
      return expireWhenDue(ctx, ctx.written.get(namespace, name) ?? current);
    }
    const result = await dispatch(ctx, current, key);
    if (result === "finished") return expireWhenDue(ctx, ctx.written.get(namespace, name) ?? current);
    return { requeueAfter: Math.max(1, Math.min(result.requeueAfter ?? MAX_REQUEUE_MS, deadline - Date.now())) };
  };
  /** Aborts the calls in flight (this replica stopped leading: the next leader makes them again). */
  const stop = (): void => {
    for (const call of ctx.calls.values()) call.abort.abort();
    ctx.calls.clear();
  };
  return Object.assign(reconcile, { stop });
}

async function dispatch(ctx: Context, evaluation: Evaluation, key: string): Promise<"finished" | ReconcileResult> {
  const { spec } = evaluation;
  if (spec.type === "batch") return batch(ctx, evaluation);
  if (spec.type === "baseline" && spec.config.dataset) return dataset(ctx, evaluation, key);
  const request = await unifiedRequest(ctx, evaluation);
  if ("wait" in request) {
    await writeStatus(ctx, evaluation, { message: request.wait });
    return { requeueAfter: 1_000 };
  }
  if ("error" in request) return finish(ctx, evaluation, { phase: "error", message: request.error });
  const outcome = evaluate(ctx, evaluation, key, evaluation.metadata.uid ?? key, request.request, request.target);
  if (!outcome) return { requeueAfter: MAX_REQUEUE_MS };
  if ("error" in outcome) return finish(ctx, evaluation, { phase: "error", message: `${failurePrefix(spec.type)}: ${outcome.error}` });
  const { response } = outcome;
  await annotateMetadata(ctx, evaluation, response.metadata);
  return finish(ctx, evaluation, {
    phase: "done",
    message: completionMessage(spec, response),
    ...(response.score !== undefined ? { score: response.score } : {}),
    passed: response.passed,
    ...(response.tokenUsage ? { tokenUsage: response.tokenUsage } : {}),
    ...(response.metadata && Object.keys(response.metadata).length > 0 ? { metadata: response.metadata } : {}),
  });
}

/** Upstream's message prefixes of a failed evaluator call, per type. */
function failurePrefix(type: EvaluationSpec["type"]): string {
  if (type === "direct") return "Evaluator call failed";
  if (type === "query") return "Query evaluation failed";
  if (type === "baseline") return "Baseline evaluation failed";
  return "Evaluation failed";
}

function completionMessage(spec: EvaluationSpec, response: EvaluatorResponse): string {
  if (spec.type === "event") {
    return `Event evaluation completed with ${spec.config.rules?.length ?? 0} rules - ${response.passed ? "passed" : "failed"} (score: ${response.score ?? "0"})`;
  }
  const type = spec.type === "direct" ? "Direct" : spec.type === "query" ? "Query" : "Baseline";
  return `${type} evaluation completed successfully`;
}

/** The unified request of a single evaluation, a reason to wait (a query not done yet, an evaluator not there yet), or an error. */
async function unifiedRequest(ctx: Context, evaluation: Evaluation): Promise<{ request: UnifiedEvaluationRequest; target: Target } | Wait | { error: string }> {
  const { spec } = evaluation;
  const namespace = evaluation.metadata.namespace ?? "";
  const evaluator = await evaluatorTarget(ctx, evaluation);
  if (!("target" in evaluator)) return evaluator;
  const parameters = { ...evaluator.parameters };
  const base = { parameters, evaluatorName: evaluator.target.evaluatorName };
  switch (spec.type) {
    case "direct":
      if (!spec.config.input) return { error: "Direct evaluation requires non-empty input (spec.config.input)" };
      if (!spec.config.output) return { error: "Direct evaluation requires non-empty output (spec.config.output)" };
      return { request: { type: "direct", config: { input: spec.config.input, output: spec.config.output }, ...base }, target: evaluator.target };
    case "query": {
      const ref = spec.config.queryRef;
      if (!ref) return { error: "Query evaluation requires queryRef in config (spec.config.queryRef)" };
      const queryNamespace = ref.namespace || namespace;
      const refused = await crossNamespaceProblem(ctx, evaluation, { kind: "Query", namespace: queryNamespace, name: ref.name });
      if (refused) return { error: `Query evaluation failed: ${refused} (spec.config.queryRef)` };
      const waited = await finishedQuery(ctx, queryNamespace, ref.name);
      if (waited) return waited;
      parameters.queryRef = `${queryNamespace}/${ref.name}`;
      return {
        request: { type: "query", config: { queryRef: { name: ref.name, namespace: queryNamespace, responseTarget: ref.responseTarget ?? "" } }, ...base },
        target: evaluator.target,
      };
    }
    case "event": {
      if (!spec.config.rules?.length) return { error: "Event evaluation requires rules in config (spec.config.rules)" };
      const ref = spec.config.queryRef;
      if (ref) {
        const refused = await crossNamespaceProblem(ctx, evaluation, { kind: "Query", namespace: ref.namespace || namespace, name: ref.name });
        if (refused) return { error: `Evaluation failed: ${refused} (spec.config.queryRef)` };
        const waited = await finishedQuery(ctx, ref.namespace || namespace, ref.name);
        if (waited) return waited;
        parameters["query.name"] ??= ref.name;
      }
      parameters["query.namespace"] ??= ref?.namespace || namespace;
      const config = { rules: spec.config.rules, ...(ref ? { queryRef: { name: ref.name, namespace: ref.namespace || namespace } } : {}) };
      return { request: { type: "event", config, ...base }, target: evaluator.target };
    }
    default:
      return { request: { type: "baseline", config: {}, ...base }, target: evaluator.target };
  }
}

/** Undefined once the query is done; a wait while it is missing or still running; an error when it ended otherwise. */
async function finishedQuery(ctx: Context, namespace: string, name: string): Promise<Wait | { error: string } | undefined> {
  const query = ctx.queries.get(namespace, name);
  if (!query) return { wait: `waiting for query '${name}' in namespace '${namespace}' to exist` };
  const phase = query.status?.phase;
  if (phase === "done") return undefined;
  if (phase === "error" || phase === "canceled") {
    return { error: `Query evaluation failed: query '${name}' ended ${phase}${query.status?.message ? `: ${query.status.message}` : ""}` };
  }
  return { wait: `waiting for query '${name}' to finish (phase: ${phase ?? "new"})` };
}

/** Why an Evaluation may not use `to` (another namespace that does not grant it), else undefined. */
function crossNamespaceProblem(ctx: Context, evaluation: Evaluation, to: { kind: "Evaluator" | "Query" | "Evaluation"; namespace: string; name: string }): Promise<string | undefined> {
  return referenceGrantProblem(ctx.grants, { from: { kind: "Evaluation", namespace: evaluation.metadata.namespace ?? "" }, to });
}

interface Target {
  evaluatorName: string;
  /** `<namespace>/<name>`, for messages. */
  label: string;
  address: string;
}

/** The Evaluator an evaluation names, its address and the merged parameters; waits a while for a missing one. */
async function evaluatorTarget(ctx: Context, evaluation: Evaluation): Promise<{ target: Target; parameters: Record<string, string> } | Wait | { error: string }> {
  const namespace = evaluation.metadata.namespace ?? "";
  const ref = evaluation.spec.evaluator;
  if (!ref) return { error: "Evaluator validation failed: spec.evaluator is required" };
  const evaluatorNamespace = ref.namespace || namespace;
  const refused = await crossNamespaceProblem(ctx, evaluation, { kind: "Evaluator", namespace: evaluatorNamespace, name: ref.name });
  if (refused) return { error: `Evaluator validation failed: ${refused} (spec.evaluator)` };
  const evaluator = ctx.evaluators.get(evaluatorNamespace, ref.name);
  if (!evaluator) {
    const message = `evaluator '${ref.name}' not found in namespace '${evaluatorNamespace}'`;
    const waited = Date.now() - timeOf(evaluation.metadata.creationTimestamp);
    return waited < ctx.referenceWaitMs ? { wait: `waiting for ${message}` } : { error: `Evaluator validation failed: ${message}` };
  }
  const label = `${evaluatorNamespace}/${ref.name}`;
  try {
    const address = await ctx.resources.resolveValueSource(evaluator.spec.address, evaluatorNamespace);
    if (!address) return { error: `Evaluator validation failed: evaluator ${label} has an empty address` };
    const parameters = await evaluatorParameters(ctx.resources.resolveValueSource, { parameters: evaluator.spec.parameters, namespace: evaluatorNamespace }, { parameters: ref.parameters, namespace }, namespace);
    return { target: { evaluatorName: ref.name, label, address }, parameters };
  } catch (error) {
    return { error: `Evaluator validation failed: evaluator ${label}: ${error instanceof Error ? error.message : apiErrorMessage(error)}` };
  }
}

/**
 * The outcome of the evaluator call `id`, or undefined while it runs: the first reconcile starts it (bounded by the
 * evaluation's deadline), its answer wakes the reconcile again. A restart loses calls in flight; the next reconcile
 * makes them again, and only the reconcile that writes the final status uses the answer.
 */
function evaluate(ctx: Context, evaluation: Evaluation, key: string, id: string, request: UnifiedEvaluationRequest, target: Target): Outcome | undefined {
  const existing = ctx.calls.get(id);
  if (existing?.outcome) {
    ctx.calls.delete(id);
    return existing.outcome;
  }
  if (existing) return undefined;
  const deadline = timeOf(evaluation.metadata.creationTimestamp) + parseDuration(evaluation.spec.timeout);
  const limit = request.type === "baseline" ? CALL_TIMEOUT_MS.baseline : CALL_TIMEOUT_MS.default;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(1, Math.min(limit, deadline - Date.now())));
  const call: Call = { key, abort };
  ctx.calls.set(id, call);
  void callEvaluator(ctx.caller, { name: target.label, address: target.address }, request, evaluation.metadata.namespace ?? "", abort.signal)
    .then(
      (response): Outcome => ({ response }),
      (error: unknown): Outcome => ({ error: error instanceof Error ? error.message : String(error) }),
    )
    .then((outcome) => {
      clearTimeout(timer);
      call.outcome = outcome;
      if (ctx.calls.get(id) === call) ctx.enqueue(key);
    });
  return undefined;
}

function abortCalls(ctx: Context, key: string): void {
  for (const [id, call] of ctx.calls) {
    if (call.key !== key) continue;
    call.abort.abort();
    ctx.calls.delete(id);
  }
}

// ---------- batch ----------

/** The children a batch makes: one per item, then one per query the template's querySelector selects. */
function batchChildren(ctx: Context, evaluation: Evaluation): Child[] {
  const { config } = evaluation.spec;
  const parent = evaluation.metadata.name ?? "";
  const namespace = evaluation.metadata.namespace ?? "";
  const children: Child[] = (config.items ?? []).map((item, i) => ({
    name: `${parent}-${item.name ?? String(i)}`,
    spec: {
      type: item.type,
      config: item.config,
      evaluator: item.evaluator,
      ...(item.ttl ? { ttl: item.ttl } : {}),
      ...(item.timeout ? { timeout: item.timeout } : {}),
    },
  }));
  const template = config.template;
  if (template && config.querySelector) {
    const selector = config.querySelector;
    const queries = ctx.queries
      .list(namespace)
      .filter((q) => matchesLabelSelector(selector, q.metadata.labels))
      .map((q) => q.metadata.name ?? "")
      .sort();
    for (const query of queries) {
      children.push({
        name: `${template.namePrefix || parent}-${query}`,
        spec: {
          type: template.type,
          config: { ...template.config, queryRef: { name: query, namespace } },
          evaluator: { ...template.evaluator, parameters: [...(template.evaluator.parameters ?? []), ...(template.parameters ?? [])] },
        },
      });
    }
  }
  return children;
}

type ChildRow = NonNullable<NonNullable<EvaluationStatus["batchProgress"]>["childEvaluations"]>[number];

async function batch(ctx: Context, evaluation: Evaluation): Promise<"finished" | ReconcileResult> {
  const { config } = evaluation.spec;
  const namespace = evaluation.metadata.namespace ?? "";
  const uid = evaluation.metadata.uid ?? "";
  const created = createdOf(ctx, uid);
  const rows: ChildRow[] = [];
  let failedChild: ChildRow | undefined;
  // A child that exists (or that this process made) has started: until the cache shows its phase, it is running.
  const row = (name: string, child: Evaluation | undefined): ChildRow => {
    const s = child?.status;
    const r: ChildRow = {
      name,
      phase: s?.phase ?? "running",
      ...(s?.score !== undefined ? { score: s.score } : {}),
      ...(s?.passed !== undefined ? { passed: s.passed } : {}),
      ...(s?.message ? { message: s.message } : {}),
    };
    if (r.phase === "error" || r.phase === "canceled") failedChild ??= r;
    return r;
  };
  const toStart: Child[] = [];
  for (const child of batchChildren(ctx, evaluation)) {
    const existing = ctx.evaluations.get(namespace, child.name);
    if (existing && !ownedBy(existing, uid)) {
      return finish(ctx, evaluation, { phase: "error", message: `Batch evaluation failed: evaluation '${child.name}' exists and is not a child of this batch` });
    }
    if (existing || created.has(child.name)) {
      rows.push(row(child.name, existing));
    } else {
      toStart.push(child);
      rows.push({ name: child.name, phase: "pending" });
    }
  }
  for (const ref of config.evaluations ?? []) {
    const refused = await crossNamespaceProblem(ctx, evaluation, { kind: "Evaluation", namespace: ref.namespace || namespace, name: ref.name });
    if (refused) return finish(ctx, evaluation, { phase: "error", message: `Batch evaluation failed: ${refused} (spec.config.evaluations)` });
    const referenced = ctx.evaluations.get(ref.namespace || namespace, ref.name);
    rows.push(referenced ? row(ref.name, referenced) : { name: ref.name, phase: "pending", message: "waiting for the evaluation to exist" });
  }
  const isRunning = (r: ChildRow) => r.phase === "running";
  let running = rows.filter(isRunning).length;
  const stopping = failedChild !== undefined && !config.continueOnFailure;
  if (!stopping) {
    for (const child of toStart) {
      if (running >= config.concurrency) break;
      await createOwned(ctx, evaluation, "evaluations", child.name, child.spec, created);
      running++;
      const r = rows.find((x) => x.name === child.name);
      if (r) r.phase = "running";
    }
  }
  const finished = rows.filter((r) => isFinishedEvaluationPhase(r.phase));
  const failed = finished.filter((r) => r.phase !== "done").length;
  const batchProgress = {
    total: rows.length,
    completed: finished.length - failed,
    failed,
    running: rows.filter(isRunning).length,
    childEvaluations: rows,
  };
  if (stopping && batchProgress.running === 0) {
    const notStarted = rows.filter((r) => r.phase === "pending").length;
    return finish(ctx, evaluation, {
      phase: "error",
      message: `Batch evaluation failed: child '${failedChild!.name}' ended ${failedChild!.phase}${failedChild!.message ? `: ${failedChild!.message}` : ""}${notStarted > 0 ? `; ${notStarted} not started (continueOnFailure is false)` : ""}`,
      batchProgress,
    });
  }
  if (finished.length < rows.length) {
    await writeStatus(ctx, evaluation, { message: `Batch evaluation: ${finished.length}/${rows.length} children finished`, batchProgress });
    return { requeueAfter: MAX_REQUEUE_MS };
  }
  const children = rows.map((r) => ctx.evaluations.get(namespace, r.name) ?? ctx.evaluations.get(refNamespace(evaluation, r.name), r.name));
  const passedCount = rows.filter((r) => r.passed === true).length;
  return finish(ctx, evaluation, {
    phase: "done",
    message: `Batch evaluation completed: ${passedCount}/${rows.length} children passed`,
    ...meanScore(rows.map((r) => r.score)),
    passed: passedCount === rows.length,
    ...sumUsage(children.map((c) => c?.status?.tokenUsage)),
    batchProgress,
  });
}

function refNamespace(evaluation: Evaluation, name: string): string {
  return evaluation.spec.config.evaluations?.find((e) => e.name === name)?.namespace || (evaluation.metadata.namespace ?? "");
}

function ownedBy(obj: { metadata: { ownerReferences?: { uid: string }[] } }, uid: string): boolean {
  return (obj.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

function createdOf(ctx: Context, uid: string): Set<string> {
  let set = ctx.created.get(uid);
  if (!set) ctx.created.set(uid, (set = new Set()));
  return set;
}

/** Creates a child Evaluation or a dataset Query owned by `parent` (an existing one of the same name counts as made). */
async function createOwned(ctx: Context, parent: Evaluation, kind: "evaluations" | "queries", name: string, spec: Record<string, unknown>, created: Set<string>, index?: number): Promise<void> {
  const metadata = {
    name,
    namespace: parent.metadata.namespace ?? "",
    labels: { [EvaluationLabels.parent]: parent.metadata.name ?? "", ...(index !== undefined ? { [EvaluationLabels.childIndex]: String(index) } : {}) },
    ownerReferences: [{ apiVersion: API_VERSION, kind: "Evaluation", name: parent.metadata.name ?? "", uid: parent.metadata.uid ?? "", controller: true, blockOwnerDeletion: true }],
  };
  try {
    if (kind === "evaluations") await ctx.resources.ark.evaluations.create({ metadata, spec: spec as never });
    else await ctx.resources.ark.queries.create({ metadata, spec: spec as never });
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  created.add(name);
}

/** Mean of the parseable scores, as upstream formats it (`%.3f`); nothing when none parses. */
function meanScore(scores: (string | undefined)[]): { score?: string } {
  const values = scores.map((s) => (s === undefined ? NaN : Number(s))).filter((n) => Number.isFinite(n));
  if (values.length === 0) return {};
  return { score: (values.reduce((a, b) => a + b, 0) / values.length).toFixed(3) };
}

function sumUsage(usages: (TokenUsage | undefined)[]): { tokenUsage?: TokenUsage } {
  const present = usages.filter((u): u is TokenUsage => u !== undefined);
  if (present.length === 0) return {};
  const sum = (k: keyof TokenUsage) => present.reduce((a, u) => a + (u[k] ?? 0), 0);
  return { tokenUsage: { promptTokens: sum("promptTokens"), completionTokens: sum("completionTokens"), totalTokens: sum("totalTokens") } };
}

// ---------- dataset ----------

/** The Query that answers case `i` (0-based) of a dataset evaluation. */
function caseQueryName(evaluation: string, i: number): string {
  return `${evaluation}-case-${i + 1}`;
}

/** The dataset's cases: inline, or read from the ConfigMap (its one key when none is named). */
async function datasetCases(ctx: Context, namespace: string, dataset: NonNullable<EvaluationSpec["config"]["dataset"]>): Promise<BaselineCase[]> {
  if (dataset.cases) return dataset.cases.map((c, i) => ({ ...c, name: c.name ?? `case-${i + 1}` }));
  const ref = dataset.configMapRef;
  if (!ref) throw new Error("spec.config.dataset needs configMapRef or cases");
  const configMap = await ctx.resources.values.getConfigMap(namespace, ref.name);
  if (!configMap) throw new Error(`configmap ${namespace}/${ref.name} not found`);
  const keys = Object.keys(configMap.data ?? {});
  const key = ref.key ?? (keys.length === 1 ? keys[0] : undefined);
  if (!key) throw new Error(`configmap ${namespace}/${ref.name} has keys ${keys.join(", ") || "(none)"}: name one in spec.config.dataset.configMapRef.key`);
  const text = configMap.data?.[key];
  if (text === undefined) throw new Error(`configmap ${namespace}/${ref.name} has no key ${key}`);
  return parseDataset(text, `configmap ${namespace}/${ref.name} key ${key}`);
}

async function dataset(ctx: Context, evaluation: Evaluation, key: string): Promise<"finished" | ReconcileResult> {
  const { config } = evaluation.spec;
  const namespace = evaluation.metadata.namespace ?? "";
  const uid = evaluation.metadata.uid ?? "";
  const target = config.target;
  if (!target) return finish(ctx, evaluation, { phase: "error", message: "Baseline evaluation failed: spec.config.target is required with a dataset" });
  let cases: BaselineCase[];
  try {
    cases = await datasetCases(ctx, namespace, config.dataset!);
  } catch (error) {
    const message = `Baseline evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
    if (Date.now() - timeOf(evaluation.metadata.creationTimestamp) < ctx.referenceWaitMs) {
      await writeStatus(ctx, evaluation, { message: `waiting: ${message}` });
      return { requeueAfter: 1_000 };
    }
    return finish(ctx, evaluation, { phase: "error", message });
  }
  const evaluator = await evaluatorTarget(ctx, evaluation);
  if ("wait" in evaluator) {
    await writeStatus(ctx, evaluation, { message: evaluator.wait });
    return { requeueAfter: 1_000 };
  }
  if ("error" in evaluator) return finish(ctx, evaluation, { phase: "error", message: evaluator.error });

  const created = createdOf(ctx, uid);
  const previous = evaluation.status?.dataset?.cases ?? [];
  const rows: CaseRow[] = cases.map((c, i) => {
    const known = previous[i];
    return known && known.name === c.name ? known : { name: c.name ?? `case-${i + 1}`, input: c.input, ...(c.expected !== undefined ? { expected: c.expected } : {}), phase: "pending" };
  });
  let active = rows.filter((r) => r.phase === "running").length;
  for (const [i, row] of rows.entries()) {
    if (isFinishedEvaluationPhase(row.phase)) continue;
    const queryName = caseQueryName(evaluation.metadata.name ?? "", i);
    if (row.phase === "pending") {
      if (active >= config.concurrency) continue;
      await createOwned(ctx, evaluation, "queries", queryName, { input: row.input, target, timeout: evaluation.spec.timeout }, created, i);
      rows[i] = { ...row, phase: "running" };
      active++;
      continue;
    }
    const query = ctx.queries.get(namespace, queryName);
    if (!query && !created.has(queryName)) {
      // Lost (deleted by hand, or our create never landed): make it again.
      await createOwned(ctx, evaluation, "queries", queryName, { input: row.input, target, timeout: evaluation.spec.timeout }, created, i);
      continue;
    }
    const phase = query?.status?.phase;
    if (phase === "error" || phase === "canceled") {
      rows[i] = { ...row, phase: "error", message: `query ${queryName} ended ${phase}: ${query?.status?.message ?? ""}`.trim() };
      active--;
      continue;
    }
    if (phase !== "done") continue;
    const output = query?.status?.response?.content ?? query?.status?.responses?.[0]?.content ?? "";
    const request: UnifiedEvaluationRequest = {
      type: "baseline",
      config: { cases: [{ name: row.name, input: row.input, ...(row.expected !== undefined ? { expected: row.expected } : {}), output }] },
      parameters: evaluator.parameters,
      evaluatorName: evaluator.target.evaluatorName,
    };
    const outcome = evaluate(ctx, evaluation, key, `${uid}/${i}`, request, evaluator.target);
    if (!outcome) continue;
    active--;
    rows[i] =
      "error" in outcome
        ? { ...row, output, phase: "error", message: outcome.error }
        : {
            ...row,
            output,
            phase: "done",
            ...(outcome.response.score !== undefined ? { score: outcome.response.score } : {}),
            passed: outcome.response.passed,
            ...reasoningOf(outcome.response.metadata),
          };
  }
  const judged = rows.filter((r) => r.phase === "done");
  const passed = judged.filter((r) => r.passed).length;
  const finishedRows = rows.filter((r) => isFinishedEvaluationPhase(r.phase));
  const table: NonNullable<EvaluationStatus["dataset"]> = {
    total: rows.length,
    passed,
    ...(judged.length > 0 ? { passRate: (passed / judged.length).toFixed(3) } : {}),
    ...(() => {
      const mean = meanScore(judged.map((r) => r.score)).score;
      return mean !== undefined ? { meanScore: mean } : {};
    })(),
    cases: rows,
  };
  const batchProgress = {
    total: rows.length,
    completed: judged.length,
    failed: finishedRows.length - judged.length,
    running: rows.filter((r) => r.phase === "running").length,
  };
  if (finishedRows.length < rows.length) {
    await writeStatus(ctx, evaluation, { message: `Baseline evaluation: ${finishedRows.length}/${rows.length} cases judged`, dataset: table, batchProgress });
    return { requeueAfter: MAX_REQUEUE_MS };
  }
  return finish(ctx, evaluation, {
    phase: "done",
    message: `Baseline evaluation completed: ${passed}/${rows.length} cases passed`,
    ...(table.meanScore !== undefined ? { score: table.meanScore } : {}),
    passed: passed === rows.length,
    dataset: table,
    batchProgress,
  });
}

/**
 * A judged case's reasoning: evaluator-llm answers a baseline with per-case `metadata.results` (a JSON list, one
 * case here) and an overall `reasoning`; the case's own is preferred.
 */
function reasoningOf(metadata: Record<string, string> | undefined): { reasoning?: string } {
  try {
    const results = JSON.parse(metadata?.results ?? "null") as unknown;
    const first = Array.isArray(results) ? (results[0] as { reasoning?: unknown } | undefined) : undefined;
    if (typeof first?.reasoning === "string" && first.reasoning) return { reasoning: first.reasoning };
  } catch {
    // not evaluator-llm's shape: fall back to the overall reasoning
  }
  return metadata?.reasoning ? { reasoning: metadata.reasoning } : {};
}

// ---------- status ----------

/** The final status: phase, duration since creation, and what the outcome carries. */
async function finish(ctx: Context, evaluation: Evaluation, end: MergePatch<EvaluationStatus> & { phase: "done" | "error" }): Promise<"finished"> {
  ctx.created.delete(evaluation.metadata.uid ?? "");
  const durationMs = Math.max(0, Date.now() - timeOf(evaluation.metadata.creationTimestamp));
  await writeStatus(ctx, evaluation, { ...end, duration: formatDuration(durationMs), ...generationOf(evaluation) });
  const reason = end.phase === "done" ? "EvaluationCompleted" : "EvaluationError";
  void ctx.events.record(evaluation, { type: end.phase === "done" ? "Normal" : "Warning", reason, message: String(end.message ?? "") }).catch(() => undefined);
  return "finished";
}

/** Upstream's `evaluation.metadata/<key>` annotations (keys made valid annotation names). */
async function annotateMetadata(ctx: Context, evaluation: Evaluation, metadata: Record<string, string> | undefined): Promise<void> {
  const entries = Object.entries(metadata ?? {});
  if (entries.length === 0) return;
  const annotations = Object.fromEntries(entries.map(([k, v]) => [`${EvaluationAnnotations.metadataPrefix}${annotationKey(k)}`, v]));
  ctx.written.record(await ctx.resources.ark.evaluations.patch(evaluation.metadata.namespace ?? "", evaluation.metadata.name ?? "", { metadata: { annotations } } as never));
}

function annotationKey(key: string): string {
  const clean = key
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "")
    .slice(0, 63);
  return clean || "value";
}

async function writeStatus(ctx: Context, evaluation: Evaluation, desired: MergePatch<EvaluationStatus>): Promise<Evaluation> {
  const latest = ctx.written.get(evaluation.metadata.namespace ?? "", evaluation.metadata.name ?? "") ?? evaluation;
  const written = await patchStatus<EvaluationSpec, EvaluationStatus, unknown>(ctx.resources.ark.evaluations, latest, desired);
  ctx.written.record(written);
  return written ?? latest;
}

function generationOf(evaluation: Evaluation): { observedGeneration?: number } {
  const generation = evaluation.metadata.generation;
  return generation !== undefined ? { observedGeneration: generation } : {};
}

/** TTL applies to finished evaluations, counted from creation as a Query's. */
async function expireWhenDue(ctx: Context, evaluation: Evaluation): Promise<ReconcileResult | void> {
  const remaining = timeOf(evaluation.metadata.creationTimestamp) + parseDuration(evaluation.spec.ttl) - Date.now();
  if (remaining > 0) return { requeueAfter: Math.min(remaining, MAX_REQUEUE_MS) };
  await ctx.resources.ark.evaluations.delete(evaluation.metadata.namespace ?? "", evaluation.metadata.name ?? "");
}

/** A child or referenced Evaluation, or a dataset Query, changed: the batch or dataset evaluation that waits on it. */
export function parentEvaluations(evaluations: InformerCache<Evaluation>) {
  return (changed: { metadata?: { namespace?: string; name?: string; labels?: Record<string, string> } }): string[] => {
    const namespace = changed.metadata?.namespace ?? "";
    const keys = new Set<string>();
    const parent = changed.metadata?.labels?.[EvaluationLabels.parent];
    if (parent) keys.add(`${namespace}/${parent}`);
    for (const e of evaluations.list()) {
      if (isFinishedEvaluationPhase(e.status?.phase)) continue;
      const ns = e.metadata.namespace ?? "";
      const { config } = e.spec;
      const refers =
        config.evaluations?.some((r) => (r.namespace || ns) === namespace && r.name === changed.metadata?.name) ||
        (e.spec.type !== "batch" && config.queryRef && (config.queryRef.namespace || ns) === namespace && config.queryRef.name === changed.metadata?.name) ||
        (e.spec.type === "batch" && ns === namespace && config.querySelector !== undefined) ||
        (ns === namespace && e.spec.evaluator?.name === changed.metadata?.name);
      if (refers) keys.add(keyOf(e));
    }
    return [...keys];
  };
}
