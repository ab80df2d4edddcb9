import type { EvaluatorResponse } from "@ark/types";
import type { EvaluatorDeps } from "../deps.js";
import { judge, judgementMetadata } from "../judge/judge.js";
import { judgeProvider } from "../judge/judge-model.js";
import type { JudgeSubject } from "../judge/prompt.js";
import type { JudgeSettings } from "../judge/settings.js";
import { formatScore } from "../judge/verdict.js";

/** One subject judged once: the response of direct, query and query-evaluator requests. */
export async function judgeOne(deps: EvaluatorDeps, subject: JudgeSubject, settings: JudgeSettings, extra: Record<string, string> = {}): Promise<EvaluatorResponse> {
  const provider = await judgeProvider(deps, settings);
  const judgement = await judge(provider, subject, settings, deps.judgeTimeoutMs);
  return {
    score: formatScore(judgement.score),
    passed: judgement.passed,
    metadata: { ...judgementMetadata(judgement, settings), ...extra },
    tokenUsage: judgement.usage,
  };
}
