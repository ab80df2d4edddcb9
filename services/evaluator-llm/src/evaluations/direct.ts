import type { EvaluatorResponse, UnifiedEvaluationRequest } from "@ark/types";
import type { EvaluatorDeps } from "../deps.js";
import { judgeSettings } from "../judge/settings.js";
import { EvaluationFailure } from "./failure.js";
import { judgeOne } from "./judged.js";
import type { EvaluationScope } from "./scope.js";

/** `direct`: the judge scores `config.output` as the answer to `config.input`. */
export async function evaluateDirect(deps: EvaluatorDeps, request: UnifiedEvaluationRequest, scope: EvaluationScope): Promise<EvaluatorResponse> {
  const { input, output } = request.config;
  if (!input) throw new EvaluationFailure("direct evaluation requires non-empty config.input");
  if (!output) throw new EvaluationFailure("direct evaluation requires non-empty config.output");
  const settings = judgeSettings(request.parameters, scope.use(request.parameters["model.namespace"], "parameter model.namespace"));
  return judgeOne(deps, { input, responses: [{ label: "Response", content: output }] }, settings);
}
