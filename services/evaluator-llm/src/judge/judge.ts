import { addUsage, isEngineError, zeroUsage, type ModelProvider, type TokenCount } from "@ark/engine";
import { EvaluationFailure } from "../evaluations/failure.js";
import { judgePrompt, verdictResponseFormat, type JudgeSubject, type VerdictFormat } from "./prompt.js";
import type { JudgeSettings } from "./settings.js";
import { formatScore, parseVerdict, type Verdict } from "./verdict.js";

export interface Judgement {
  score: number;
  passed: boolean;
  verdict: Verdict;
  /** Which answer format the judge used. */
  format: VerdictFormat;
  usage: TokenCount;
}

/**
 * Asks the judge model once. With structured output it sends a json_schema response format; an endpoint that
 * refuses it (400) is asked again with upstream's line format. `passed` is the threshold's call, not the judge's.
 */
export async function judge(provider: ModelProvider, subject: JudgeSubject, settings: JudgeSettings, timeoutMs: number): Promise<Judgement> {
  let usage = zeroUsage();
  const ask = async (format: VerdictFormat): Promise<string> => {
    const result = await provider.chat({
      messages: [{ role: "user", content: judgePrompt(subject, settings, format) }],
      ...(format === "json" ? { responseFormat: verdictResponseFormat(settings) } : {}),
      ...(settings.temperature !== undefined ? { properties: { temperature: settings.temperature } } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    usage = addUsage(usage, result.usage);
    return result.message.content ?? "";
  };
  let format: VerdictFormat = settings.structuredOutput ? "json" : "lines";
  let text: string;
  try {
    try {
      text = await ask(format);
    } catch (err) {
      if (format !== "json" || !isEngineError(err, "PROVIDER_BAD_REQUEST")) throw err;
      format = "lines";
      text = await ask(format);
    }
  } catch (err) {
    throw new EvaluationFailure(`judge ${provider.description}: ${(err as Error).message}`, { cause: err });
  }
  const verdict = parseVerdict(text, settings.scale, provider.description);
  const score = Number(formatScore(verdict.score));
  return { score, passed: score >= settings.threshold, verdict, format, usage };
}

/** The contract's metadata for one judgement: reasoning and criteria scores (0..1), as upstream names them. */
export function judgementMetadata(judgement: Judgement, settings: JudgeSettings): Record<string, string> {
  const metadata: Record<string, string> = {
    threshold: formatScore(settings.threshold),
    judge_model: `${settings.model.namespace}/${settings.model.name}`,
  };
  if (judgement.verdict.reasoning) metadata["reasoning"] = judgement.verdict.reasoning;
  const criteria = Object.entries(judgement.verdict.criteria);
  if (criteria.length) {
    metadata["criteria_scores"] = criteria.map(([name, score]) => `${name}=${formatScore(score)}`).join(", ");
    for (const [name, score] of criteria) metadata[`criteria.${name}`] = formatScore(score);
  }
  if (judgement.verdict.judgePassed !== undefined) metadata["judge_passed"] = String(judgement.verdict.judgePassed);
  return metadata;
}
