import { defaultEgressGuard, type EgressGuard } from "@ark/engine";
import { apiErrorMessage, isConflict, keyOf, patchStatus, type Evaluation, type EventRecorder, type Evaluator, type InformerCache, type MergePatch, type Query, type ReconcileResult } from "@ark/kube";
import { EVALUATOR_READY_CONDITION, EvaluationAnnotations, EvaluationLabels, EvaluatorReasons, matchesLabelSelector, type EvaluatorStatus } from "@ark/types";
import { evaluatorParameters } from "../evaluation/parameters.js";
import type { ArkResources } from "../resources.js";
import { addressStatus, probeAddressWhenDue, type AddressVerdict } from "./address-probe.js";
import { ProbeSchedule } from "./probe-schedule.js";

const PROBE_INTERVAL_MS = 60_000;
const PROBE_TIMEOUT_MS = 5_000;

export interface EvaluatorReconcilerDeps {
  evaluators: InformerCache<Evaluator>;
  queries: InformerCache<Query>;
  evaluations: InformerCache<Evaluation>;
  resources: Pick<ArkResources, "ark" | "resolveValueSource">;
  events: EventRecorder;
  egress?: EgressGuard;
  probeIntervalMs?: number;
}

/**
 * Evaluator (docs/upstream-compat.md §5.8): resolve spec.address → lastResolvedAddress; probe GET /health next to it →
 * Ready and phase ready/error; with spec.selector, an Evaluation of type query for every matching done Query.
 */
export function evaluatorReconciler(deps: EvaluatorReconcilerDeps) {
  const intervalMs = deps.probeIntervalMs ?? PROBE_INTERVAL_MS;
  const probes = new ProbeSchedule({ retryBaseMs: 2_000 });

  return async (key: string): Promise<ReconcileResult | void> => {
    const evaluator = probes.objectOf(key, deps.evaluators);
    if (!evaluator) return;
    // The selector first: a probe that fails says nothing about queries waiting to be evaluated.
    const selectorError = evaluator.spec.selector ? await evaluateSelected(deps, evaluator) : undefined;
    const checked = await probeAddressWhenDue(probes, key, evaluator, {
      intervalMs,
      resolve: () => resolveAddress(evaluator),
      probe: (address) => probe(address, deps.egress ?? defaultEgressGuard),
      context: selectorError ?? "",
    });
    if ("dueIn" in checked) return { requeueAfter: checked.dueIn };
    const { verdict } = checked;
    const desired: MergePatch<EvaluatorStatus> = addressStatus(evaluator, {
      ready: verdict.ok && !selectorError,
      message: selectorError ? `Failed to process selector: ${selectorError}` : verdict.ok ? "Evaluator address resolved successfully" : verdict.message,
      address: verdict.address,
      conditions: [{ type: EVALUATOR_READY_CONDITION, status: verdict.ok ? "True" : "False", reason: verdict.reason, message: verdict.message }],
    });
    await patchStatus(deps.resources.ark.evaluators, evaluator, desired);
    return { requeueAfter: checked.requeueAfter };
  };

  async function resolveAddress(evaluator: Evaluator): Promise<AddressVerdict> {
    try {
      const address = await deps.resources.resolveValueSource(evaluator.spec.address, evaluator.metadata.namespace ?? "");
      if (!address) return { ok: false, reason: EvaluatorReasons.AddressResolutionFailed, message: "Failed to resolve address: address is empty" };
      return { ok: true, reason: EvaluatorReasons.ProbeSucceeded, message: "", address };
    } catch (error) {
      return { ok: false, reason: EvaluatorReasons.AddressResolutionFailed, message: `Failed to resolve address: ${apiErrorMessage(error)}` };
    }
  }
}

/**
 * GET /health next to the address (`…/evaluate` → `…/health`); an evaluator without /health (404/405) is ready when
 * its address answers HTTP at all. Never throws.
 */
async function probe(address: string, egress: EgressGuard): Promise<AddressVerdict> {
  const get = async (url: string): Promise<number> => {
    const response = await egress.fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), headers: { "user-agent": "ark-controller" } });
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  };
  try {
    const health = new URL("health", address).toString();
    const status = await get(health);
    if (status >= 200 && status < 300) return { ok: true, reason: EvaluatorReasons.ProbeSucceeded, message: `GET ${health} answered ${status}`, address };
    if (status !== 404 && status !== 405) return { ok: false, reason: EvaluatorReasons.ProbeFailed, message: `Evaluator not ready: GET ${health} answered ${status}`, address };
    const reached = await get(address);
    return { ok: true, reason: EvaluatorReasons.ProbeSucceeded, message: `${address} answers (GET ${reached}; no /health)`, address };
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
    return { ok: false, reason: EvaluatorReasons.ProbeFailed, message: `Evaluator not reachable at ${address}: ${cause}`, address };
  }
}

/** `<evaluator>-<query>-eval`: one Evaluation per evaluator and query, whichever replica makes it. */
function selectorEvaluationName(evaluator: string, query: string): string {
  return `${evaluator}-${query}-eval`;
}

/**
 * Every done Query in the evaluator's namespace matching spec.selector gets an Evaluation of type query; one that
 * exists is re-run (its status reset) when the query ran again (a new generation). Returns an error text, or undefined.
 */
async function evaluateSelected(deps: EvaluatorReconcilerDeps, evaluator: Evaluator): Promise<string | undefined> {
  const namespace = evaluator.metadata.namespace ?? "";
  const name = evaluator.metadata.name ?? "";
  const selector = evaluator.spec.selector;
  if (!selector) return undefined;
  let parameters;
  try {
    parameters = Object.entries(await evaluatorParameters(deps.resources.resolveValueSource, { parameters: evaluator.spec.parameters, namespace }, undefined, namespace)).map(([key, value]) => ({ name: key, value }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const problems: string[] = [];
  for (const query of deps.queries.list(namespace)) {
    if (query.status?.phase !== "done" || !matchesLabelSelector(selector, query.metadata.labels)) continue;
    const queryName = query.metadata.name ?? "";
    const evaluationName = selectorEvaluationName(name, queryName);
    const generation = String(query.metadata.generation ?? 0);
    const existing = deps.evaluations.get(namespace, evaluationName);
    try {
      if (!existing) {
        await deps.resources.ark.evaluations.create({
          metadata: {
            name: evaluationName,
            namespace,
            labels: { [EvaluationLabels.evaluator]: name, [EvaluationLabels.query]: queryName, [EvaluationLabels.auto]: "true" },
            annotations: { [EvaluationAnnotations.queryGeneration]: generation, [EvaluationAnnotations.queryPhase]: "done" },
          },
          spec: { type: "query", config: { queryRef: { name: queryName, namespace } }, evaluator: { name, namespace, parameters } },
        });
        continue;
      }
      if (existing.metadata.annotations?.[EvaluationAnnotations.queryGeneration] === generation) continue;
      // The query ran again: re-run its evaluation (upstream reset the status with a plain update, which the API ignores).
      await deps.resources.ark.evaluations.patch(namespace, evaluationName, {
        metadata: { annotations: { [EvaluationAnnotations.queryGeneration]: generation, [EvaluationAnnotations.queryPhase]: "done" } },
        spec: { evaluator: { name, namespace, parameters } },
      } as never);
      await deps.resources.ark.evaluations.patchStatus(namespace, evaluationName, { phase: null, message: null, score: null, passed: null, conditions: null } as never);
    } catch (error) {
      if (isConflict(error)) continue; // another replica (or our previous life) made it
      problems.push(`${keyOf(query)}: ${apiErrorMessage(error)}`);
    }
  }
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/** Evaluators with a selector in the query's namespace that match its labels: a finished query wakes them. */
export function evaluatorsSelecting(evaluators: InformerCache<Evaluator>) {
  return (query: { metadata?: { namespace?: string; labels?: Record<string, string> } }): string[] =>
    evaluators
      .list(query.metadata?.namespace ?? "")
      .filter((e) => e.spec.selector?.resourceType === "Query" && matchesLabelSelector(e.spec.selector, query.metadata?.labels))
      .map(keyOf);
}
