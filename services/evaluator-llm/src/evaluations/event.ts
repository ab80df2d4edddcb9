import { compileCel, EVENT_RULE_VARIABLES, isFinishedQueryPhase, type EvaluatorResponse, type ExpressionRule, type UnifiedEvaluationRequest } from "@ark/types";
import type { EvaluatorDeps } from "../deps.js";
import { thresholdOf } from "../judge/settings.js";
import { formatScore } from "../judge/verdict.js";
import { EvaluationFailure } from "./failure.js";
import { queryRefOf } from "./query.js";
import { recordedEvents } from "./query-events.js";
import { selectResponses } from "./query-responses.js";
import type { EvaluationScope } from "./scope.js";

interface RuleResult {
  name: string;
  weight: number;
  passed: boolean;
  error?: string;
}

function runRule(rule: ExpressionRule, context: Record<string, unknown>): RuleResult {
  const weight = rule.weight ?? 1;
  try {
    const value = compileCel(rule.expression, EVENT_RULE_VARIABLES).evaluate(context);
    if (typeof value !== "boolean") return { name: rule.name, weight, passed: false, error: `returned ${JSON.stringify(value)}, not a bool` };
    return { name: rule.name, weight, passed: value };
  } catch (err) {
    return { name: rule.name, weight, passed: false, error: (err as Error).message };
  }
}

/**
 * `event`: each rule's CEL runs over the query's recorded events (`events`), the Query (`query`) and its answer
 * (`response.content`); the score is the passed rules' share of the weights, passed at the threshold (default 0.7).
 */
export async function evaluateEvents(deps: EvaluatorDeps, request: UnifiedEvaluationRequest, scope: EvaluationScope): Promise<EvaluatorResponse> {
  const rules = request.config.rules ?? [];
  if (rules.length === 0) throw new EvaluationFailure("event evaluation requires config.rules");
  const ref = queryRefOf(request);
  if (!ref) throw new EvaluationFailure("event evaluation requires config.queryRef (or the query.name parameter)");
  const namespace = scope.use(ref.namespace, "config.queryRef.namespace");
  const id = `${namespace}/${ref.name}`;
  const query = await deps.ark.queries.get(namespace, ref.name);
  if (!query) throw new EvaluationFailure(`query ${id} not found`);
  if (!isFinishedQueryPhase(query.status?.phase) && query.status?.phase !== "evaluating") {
    throw new EvaluationFailure(`query ${id} is not complete (phase: ${query.status?.phase ?? "pending"})`);
  }
  const events = await recordedEvents(deps.bus, { namespace, name: ref.name, queryUid: query.metadata.uid ?? "" });
  if (events.length === 0) throw new EvaluationFailure(`query ${id} has no recorded execution events (the bus keeps them for its retention period)`);
  const responses = query.status?.responses?.length ? selectResponses(query.status.responses, ref.responseTarget, id) : [];
  const context = { events, query, response: { content: responses.map((r) => r.content).join("\n\n") } };

  const results = rules.map((rule) => runRule(rule, context));
  const total = results.reduce((sum, r) => sum + r.weight, 0);
  const earned = results.filter((r) => r.passed).reduce((sum, r) => sum + r.weight, 0);
  const score = total > 0 ? earned / total : results.filter((r) => r.passed).length / results.length;
  const threshold = thresholdOf(request.parameters["threshold"]);
  const passedCount = results.filter((r) => r.passed).length;
  const metadata: Record<string, string> = {
    reasoning: `${passedCount}/${results.length} rules passed: ${results.map((r) => `${r.name} ${r.passed ? "passed" : r.error ? `error (${r.error})` : "failed"}`).join("; ")}`,
    threshold: formatScore(threshold),
    query: id,
    events: String(events.length),
    rules_passed: `${passedCount}/${results.length}`,
  };
  for (const r of results) metadata[`rule.${r.name}`] = r.passed ? "passed" : r.error ? `error: ${r.error}` : "failed";
  return { score: formatScore(score), passed: score >= threshold, metadata };
}
