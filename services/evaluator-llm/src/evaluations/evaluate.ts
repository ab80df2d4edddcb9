import { QueryEvaluationRequest, UnifiedEvaluationRequest, type EvaluatorResponse } from "@ark/types";
import { ArkError } from "@ark/service-kit";
import type { EvaluatorDeps } from "../deps.js";
import { evaluateBaseline } from "./baseline.js";
import { evaluateDirect } from "./direct.js";
import { evaluateEvents } from "./event.js";
import { EvaluationFailure } from "./failure.js";
import { evaluateQuery, evaluateQueryResponses } from "./query.js";
import { evaluationScope } from "./scope.js";

/** Which of the contract's two shapes a body is: the query-evaluator request carries `queryId` and `responses`. */
function parseEvaluationRequest(body: unknown): { kind: "query-evaluator"; request: QueryEvaluationRequest } | { kind: "unified"; request: UnifiedEvaluationRequest } {
  const object = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const legacy = "queryId" in object || "responses" in object;
  const result = legacy ? QueryEvaluationRequest.safeParse(body) : UnifiedEvaluationRequest.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
    const shape = legacy ? "query-evaluator request {queryId, input, responses, query}" : "evaluation request {type, config, parameters}";
    throw ArkError.invalidFields(problems, `not a valid ${shape}: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`);
  }
  return legacy ? { kind: "query-evaluator", request: result.data as QueryEvaluationRequest } : { kind: "unified", request: result.data as UnifiedEvaluationRequest };
}

/** Runs one evaluation; a failure to score is the contract's `{passed: false, error}`, never a silent 0. */
export async function evaluate(deps: EvaluatorDeps, body: unknown, caller: string | undefined): Promise<EvaluatorResponse> {
  const parsed = parseEvaluationRequest(body);
  try {
    if (parsed.kind === "query-evaluator") return await evaluateQueryResponses(deps, parsed.request, evaluationScope(caller, undefined));
    const request = parsed.request;
    const scope = evaluationScope(caller, request.parameters["model.namespace"] ?? request.config.queryRef?.namespace);
    switch (request.type) {
      case "direct":
        return await evaluateDirect(deps, request, scope);
      case "query":
        return await evaluateQuery(deps, request, scope);
      case "baseline":
        return await evaluateBaseline(deps, request, scope);
      case "event":
        return await evaluateEvents(deps, request, scope);
    }
  } catch (err) {
    if (err instanceof EvaluationFailure) return { passed: false, error: err.message };
    throw err;
  }
}
