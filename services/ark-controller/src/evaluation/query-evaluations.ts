import type { Evaluator, InformerCache, Query } from "@ark/kube";
import type { ValueSourceResolver } from "@ark/engine";
import { matchesLabelSelector, queryInputText, type QueryEvaluationResult, type TokenUsage } from "@ark/types";
import { referenceGrantProblem, type GrantLookup } from "../references/reference-grants.js";
import { callEvaluator, type EvaluatorCaller } from "./evaluator-client.js";
import { evaluatorParameters } from "./parameters.js";

/** Upstream's timeout of a query evaluator call. */
const CALL_TIMEOUT_MS = 30_000;

export interface QueryEvaluationOutcome {
  evaluations: QueryEvaluationResult[];
  /** What the evaluators' judges used, apart from the query's own tokens. */
  tokenUsage?: TokenUsage;
}

interface Pending {
  key: string;
  abort: AbortController;
  outcome?: QueryEvaluationOutcome;
}

export interface QueryEvaluatorsDeps {
  evaluators: InformerCache<Evaluator>;
  resolveValueSource: ValueSourceResolver;
  caller: EvaluatorCaller;
  /** An Evaluator of another namespace is called only when a ReferenceGrant there allows the query's. */
  grants: GrantLookup;
  /** Wakes the query's reconcile once every evaluator has answered. */
  enqueue(key: string): void;
}

/** The evaluators a query names: spec.evaluators, or those in its namespace spec.evaluatorSelector selects. */
export function queryEvaluatorRefs(query: Query, evaluators: InformerCache<Evaluator>): { name: string; namespace: string }[] {
  const namespace = query.metadata.namespace ?? "";
  const named = (query.spec.evaluators ?? []).map((e) => ({ name: e.name, namespace: e.namespace || namespace }));
  const selector = query.spec.evaluatorSelector;
  if (!selector) return named;
  const selected = evaluators
    .list(namespace)
    .filter((e) => matchesLabelSelector(selector, e.metadata.labels))
    .map((e) => ({ name: e.metadata.name ?? "", namespace }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [...named, ...selected];
}

/**
 * A finished query's evaluators (docs/upstream-compat.md §6.8), called by the reconciler beside the query's run, all
 * in parallel; an evaluator that fails is recorded with `metadata.error`, never failing the query. One set of calls
 * per query uid at a time; `poll` answers undefined until every evaluator answered.
 */
export class QueryEvaluators {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: QueryEvaluatorsDeps) {}

  /** The Evaluators informer, to tell whether a query has any evaluator. */
  get evaluatorCache(): InformerCache<Evaluator> {
    return this.deps.evaluators;
  }

  poll(query: Query, key: string): QueryEvaluationOutcome | undefined {
    const uid = query.metadata.uid ?? key;
    const current = this.pending.get(uid);
    if (current?.outcome) {
      this.pending.delete(uid);
      return current.outcome;
    }
    if (current) return undefined;
    const pending: Pending = { key, abort: new AbortController() };
    this.pending.set(uid, pending);
    void this.run(query, pending.abort.signal).then((outcome) => {
      pending.outcome = outcome;
      if (this.pending.get(uid) === pending) this.deps.enqueue(key);
    });
    return undefined;
  }

  /** Forgets a query's calls (deleted, or this replica stopped leading). */
  stop(uid: string): void {
    this.pending.get(uid)?.abort.abort();
    this.pending.delete(uid);
  }

  stopAll(): void {
    for (const uid of this.pending.keys()) this.stop(uid);
  }

  private async run(query: Query, stopped: AbortSignal): Promise<QueryEvaluationOutcome> {
    const refs = queryEvaluatorRefs(query, this.deps.evaluators);
    const results = await Promise.all(refs.map((ref) => this.one(query, ref, stopped)));
    const usages = results.flatMap((r) => (r.usage ? [r.usage] : []));
    const sum = (k: keyof TokenUsage) => usages.reduce((a, u) => a + (u[k] ?? 0), 0);
    return {
      evaluations: results.map((r) => r.result),
      ...(usages.length > 0 ? { tokenUsage: { promptTokens: sum("promptTokens"), completionTokens: sum("completionTokens"), totalTokens: sum("totalTokens") } } : {}),
    };
  }

  private async one(query: Query, ref: { name: string; namespace: string }, stopped: AbortSignal): Promise<{ result: QueryEvaluationResult; usage?: TokenUsage }> {
    const label = `${ref.namespace}/${ref.name}`;
    const failed = (message: string) => ({ result: { evaluatorName: ref.name, passed: false, metadata: { error: message } } });
    const refused = await referenceGrantProblem(this.deps.grants, { from: { kind: "Query", namespace: query.metadata.namespace ?? "" }, to: { kind: "Evaluator", ...ref } });
    if (refused) return failed(`${refused} (spec.evaluators)`);
    const evaluator = this.deps.evaluators.get(ref.namespace, ref.name);
    if (!evaluator) return failed(`evaluator '${ref.name}' not found in namespace '${ref.namespace}'`);
    try {
      const address = await this.deps.resolveValueSource(evaluator.spec.address, ref.namespace);
      const parameters = await evaluatorParameters(this.deps.resolveValueSource, { parameters: evaluator.spec.parameters, namespace: ref.namespace }, undefined, query.metadata.namespace ?? "");
      const response = await callEvaluator(
        this.deps.caller,
        { name: label, address },
        {
          queryId: query.metadata.uid ?? "",
          input: queryInputText(query.spec),
          responses: query.status?.responses ?? [],
          query: query as unknown as Record<string, unknown>,
          parameters,
          evaluatorName: ref.name,
        },
        query.metadata.namespace ?? "",
        AbortSignal.any([stopped, AbortSignal.timeout(CALL_TIMEOUT_MS)]),
      );
      return {
        result: {
          evaluatorName: ref.name,
          ...(response.score !== undefined ? { score: response.score } : {}),
          passed: response.passed,
          ...(response.metadata ? { metadata: response.metadata } : {}),
        },
        ...(response.tokenUsage ? { usage: response.tokenUsage } : {}),
      };
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
  }
}
