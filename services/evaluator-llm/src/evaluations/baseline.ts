import { addUsage, zeroUsage } from "@ark/engine";
import { BaselineCase, type EvaluatorResponse, type UnifiedEvaluationRequest } from "@ark/types";
import { z } from "zod";
import type { EvaluatorDeps } from "../deps.js";
import { judge, type Judgement } from "../judge/judge.js";
import { judgeProvider } from "../judge/judge-model.js";
import { judgeSettings } from "../judge/settings.js";
import { formatScore } from "../judge/verdict.js";
import { EvaluationFailure } from "./failure.js";
import type { EvaluationScope } from "./scope.js";

/** One judged case, as `metadata.results` lists them (JSON), for the dataset table. */
interface BaselineCaseResult {
  name: string;
  input: string;
  expected?: string;
  output: string;
  score?: string;
  passed: boolean;
  reasoning?: string;
  error?: string;
}

function casesOf(request: UnifiedEvaluationRequest): BaselineCase[] {
  if (request.config.cases?.length) return request.config.cases;
  const raw = request.parameters["cases"];
  if (!raw) throw new EvaluationFailure("baseline evaluation requires config.cases (or a cases parameter): a list of {input, expected, output}");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new EvaluationFailure(`parameter cases: not JSON: ${(err as Error).message}`, { cause: err });
  }
  const result = z.array(BaselineCase).min(1).safeParse(parsed);
  if (!result.success) throw new EvaluationFailure(`parameter cases: ${result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  return result.data;
}

/**
 * `baseline`: each case's output is judged against its expected answer; the score is the mean of the cases'
 * scores, and the evaluation passes when every case does (a case that cannot be judged counts as failed).
 */
export async function evaluateBaseline(deps: EvaluatorDeps, request: UnifiedEvaluationRequest, scope: EvaluationScope): Promise<EvaluatorResponse> {
  const cases = casesOf(request);
  cases.forEach((c, i) => {
    if (c.output === undefined) throw new EvaluationFailure(`baseline case ${c.name ?? i}: no output (run the target on the case's input first)`);
  });
  const settings = judgeSettings(request.parameters, scope.use(request.parameters["model.namespace"], "parameter model.namespace"));
  const provider = await judgeProvider(deps, settings);
  const judged = Array.from<Judgement | Error>({ length: cases.length });
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      const subject = { input: c.input, responses: [{ label: "Response", content: c.output! }], ...(c.expected !== undefined ? { expected: c.expected } : {}) };
      judged[i] = await judge(provider, subject, settings, deps.judgeTimeoutMs).catch((err: Error) => err);
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.judgeConcurrency, cases.length) }, worker));

  let usage = zeroUsage();
  const results: BaselineCaseResult[] = cases.map((c, i) => {
    const outcome = judged[i]!;
    const base = { name: c.name ?? `case-${i + 1}`, input: c.input, ...(c.expected !== undefined ? { expected: c.expected } : {}), output: c.output! };
    if (outcome instanceof Error) return { ...base, passed: false, error: outcome.message };
    usage = addUsage(usage, outcome.usage);
    return { ...base, score: formatScore(outcome.score), passed: outcome.passed, ...(outcome.verdict.reasoning ? { reasoning: outcome.verdict.reasoning } : {}) };
  });
  const scores = judged.filter((j): j is Judgement => !(j instanceof Error)).map((j) => j.score);
  if (scores.length === 0) throw new EvaluationFailure(`no baseline case could be judged: ${results[0]?.error ?? ""}`);
  const mean = scores.reduce((a, b) => a + b, 0) / cases.length;
  const passedCount = results.filter((r) => r.passed).length;
  return {
    score: formatScore(mean),
    passed: passedCount === cases.length,
    metadata: {
      reasoning: `${passedCount}/${cases.length} cases passed (threshold ${formatScore(settings.threshold)})`,
      threshold: formatScore(settings.threshold),
      judge_model: `${settings.model.namespace}/${settings.model.name}`,
      cases_total: String(cases.length),
      cases_passed: String(passedCount),
      pass_rate: formatScore(passedCount / cases.length),
      mean_score: formatScore(mean),
      results: JSON.stringify(results),
    },
    tokenUsage: usage,
  };
}
