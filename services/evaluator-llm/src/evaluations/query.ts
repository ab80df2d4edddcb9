import { queryInputText, type EvaluatorResponse, type QueryEvaluationRequest, type UnifiedEvaluationRequest } from "@ark/types";
import type { EvaluatorDeps } from "../deps.js";
import { judgeSettings } from "../judge/settings.js";
import { EvaluationFailure } from "./failure.js";
import { judgeOne } from "./judged.js";
import { readFinishedQuery, responseLabel, selectResponses } from "./query-responses.js";
import type { EvaluationScope } from "./scope.js";

/** Where a query evaluation's Query is: `config.queryRef`, else the `queryRef` parameter (`ns/name`) upstream's controller adds. */
export function queryRefOf(request: UnifiedEvaluationRequest): { name: string; namespace?: string | undefined; responseTarget?: string | undefined } | undefined {
  if (request.config.queryRef) return request.config.queryRef;
  const name = request.parameters["query.name"];
  if (name) return { name, namespace: request.parameters["query.namespace"] };
  const ref = request.parameters["queryRef"];
  if (!ref) return undefined;
  const [namespace, queryName] = ref.includes("/") ? ref.split("/", 2) : [undefined, ref];
  return { name: queryName!, namespace };
}

/** `query`: reads the Query through the API and judges its responses (those of `responseTarget`, or all). */
export async function evaluateQuery(deps: EvaluatorDeps, request: UnifiedEvaluationRequest, scope: EvaluationScope): Promise<EvaluatorResponse> {
  const ref = queryRefOf(request);
  if (!ref) throw new EvaluationFailure("query evaluation requires config.queryRef");
  const namespace = scope.use(ref.namespace, "config.queryRef.namespace");
  const query = await readFinishedQuery((ns, name) => deps.ark.queries.get(ns, name), namespace, ref.name);
  const responses = selectResponses(query.status?.responses ?? [], ref.responseTarget, `${namespace}/${ref.name}`);
  const settings = judgeSettings(request.parameters, scope.use(request.parameters["model.namespace"], "parameter model.namespace"));
  const subject = { input: queryInputText(query.spec), responses: responses.map((r) => ({ label: responseLabel(r), content: r.content })) };
  return judgeOne(deps, subject, settings, { query: `${namespace}/${ref.name}` });
}

/** The query-evaluator request of a Query's `spec.evaluators`: the responses come in the request. */
export async function evaluateQueryResponses(deps: EvaluatorDeps, request: QueryEvaluationRequest, scope: EvaluationScope): Promise<EvaluatorResponse> {
  const metadata = (request.query["metadata"] ?? {}) as { name?: string; namespace?: string };
  const namespace = scope.use(metadata.namespace, "query.metadata.namespace");
  const parameters = request.parameters ?? {};
  const responses = selectResponses(request.responses, parameters["responseTarget"], `${namespace}/${metadata.name ?? request.queryId}`);
  const settings = judgeSettings(parameters, scope.use(parameters["model.namespace"] ?? namespace, "parameter model.namespace"));
  const subject = { input: request.input, responses: responses.map((r) => ({ label: responseLabel(r), content: r.content })) };
  return judgeOne(deps, subject, settings);
}
