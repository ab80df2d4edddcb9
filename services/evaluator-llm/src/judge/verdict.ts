import { EvaluationFailure, excerpt } from "../evaluations/failure.js";

/** The judge's answer, normalised: scores in 0..1. */
export interface Verdict {
  score: number;
  /** What the judge itself said; the threshold decides `passed`. */
  judgePassed?: boolean;
  reasoning?: string;
  criteria: Record<string, number>;
}

/**
 * Reads the judge's answer: a JSON object (structured output, also when fenced in ```json), else upstream's
 * `SCORE:` / `PASSED:` / `REASONING:` / `CRITERIA_SCORES:` lines. Scores on the judge's scale become 0..1.
 * Anything else throws, quoting what came back: an unparseable answer is never a silent 0.
 */
export function parseVerdict(text: string, scale: number, judge: string): Verdict {
  const verdict = parseJson(text, scale) ?? parseLines(text, scale);
  if (!verdict) {
    throw new EvaluationFailure(`judge ${judge} answered without a score (expected a JSON object with "score" or a "SCORE:" line): ${text.trim() ? `"${excerpt(text)}"` : "an empty answer"}`);
  }
  return verdict;
}

function normalise(raw: unknown, scale: number, what: string): number {
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim().replace(/%$/, "") : "";
  const n = Number(text);
  if (text === "" || !Number.isFinite(n)) throw new EvaluationFailure(`judge's ${what} "${String(raw)}" is not a number`);
  if (n < 0 || n > scale) {
    throw new EvaluationFailure(`judge's ${what} ${text} is outside 0..${scale}`);
  }
  // A judge asked for 0-100 that answers 0.85 meant a fraction.
  if (scale > 1 && n <= 1 && text.includes(".")) return n;
  return n / scale;
}

function parseJson(text: string, scale: number): Verdict | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const candidate = (fenced ?? text).trim();
  const start = candidate.indexOf("{");
  const end = candidate.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(candidate.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || !("score" in parsed)) return undefined;
  const object = parsed as Record<string, unknown>;
  const verdict: Verdict = { score: normalise(object["score"], scale, "score"), criteria: {} };
  if (typeof object["passed"] === "boolean") verdict.judgePassed = object["passed"];
  if (typeof object["reasoning"] === "string") verdict.reasoning = object["reasoning"];
  const criteria = object["criteria_scores"] ?? object["criteria"];
  if (criteria && typeof criteria === "object") {
    for (const [name, value] of Object.entries(criteria as Record<string, unknown>)) {
      verdict.criteria[name] = normalise(value, scale, `${name} score`);
    }
  }
  return verdict;
}

const LINE_KEYS = ["SCORE", "PASSED", "REASONING", "CRITERIA_SCORES"] as const;
type LineKey = (typeof LINE_KEYS)[number];

function parseLines(text: string, scale: number): Verdict | undefined {
  const fields = new Map<LineKey, string>();
  let current: LineKey | undefined;
  for (const line of text.split(/\r?\n/)) {
    // Markdown judges write **SCORE:** 85; the key is matched without the emphasis.
    const match = /^\s*[*_#\s]*(SCORE|PASSED|REASONING|CRITERIA_SCORES)[*_\s]*:[*_\s]*(.*)$/i.exec(line);
    if (match) {
      current = match[1]!.toUpperCase() as LineKey;
      fields.set(current, match[2]!.trim());
    } else if (current === "REASONING" && line.trim()) {
      fields.set(current, `${fields.get(current)}\n${line.trim()}`);
    }
  }
  const scoreText = fields.get("SCORE");
  if (scoreText === undefined) return undefined;
  const number = /^\[?\s*(-?[0-9]+(?:\.[0-9]+)?)/.exec(scoreText)?.[1];
  if (number === undefined) throw new EvaluationFailure(`judge's SCORE line "${excerpt(scoreText, 80)}" holds no number`);
  const verdict: Verdict = { score: normalise(number, scale, "score"), criteria: {} };
  const passed = fields.get("PASSED");
  if (passed !== undefined) verdict.judgePassed = /^\[?\s*true/i.test(passed);
  const reasoning = fields.get("REASONING");
  if (reasoning) verdict.reasoning = reasoning;
  for (const pair of (fields.get("CRITERIA_SCORES") ?? "").split(",")) {
    const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*[=:]\s*\[?\s*([0-9]+(?:\.[0-9]+)?)/.exec(pair);
    if (m) verdict.criteria[m[1]!] = normalise(m[2], scale, `${m[1]} score`);
  }
  return verdict;
}

/** A 0..1 score as the contract's string: at most three decimals, `0` and `1` bare. */
export function formatScore(score: number): string {
  return String(Number(Math.min(1, Math.max(0, score)).toFixed(3)));
}
