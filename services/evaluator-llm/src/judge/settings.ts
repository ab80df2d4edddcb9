import type { EvaluatorParameters } from "@ark/types";
import { EvaluationFailure } from "../evaluations/failure.js";

/** Upstream's criteria (docs/upstream-compat.md §10.2). */
const DEFAULT_CRITERIA = ["relevance", "accuracy", "completeness", "clarity", "usefulness"] as const;
/** Upstream passed at 70 of 100; scores here are 0..1. */
const DEFAULT_THRESHOLD = 0.7;
/** The range the judge is asked to score in (upstream: 0–100); its answer is normalised to 0..1. */
const DEFAULT_SCALE = 100;
/** Upstream's judge temperature. */
const DEFAULT_TEMPERATURE = "0.1";

export interface JudgeSettings {
  /** The Model that judges. */
  model: { namespace: string; name: string };
  criteria: string[];
  scale: number;
  /** 0..1: a score at or above it passes. */
  threshold: number;
  /** A Go template replacing the default instructions (the answer format is always appended). */
  prompt?: string;
  /** Ask for JSON (json_schema response format); the line format otherwise or when the endpoint refuses it. */
  structuredOutput: boolean;
  temperature?: string;
}

/** The judge's settings from the request's parameters; a bad value fails naming the parameter. */
export function judgeSettings(parameters: EvaluatorParameters, namespace: string): JudgeSettings {
  const settings: JudgeSettings = {
    model: { namespace, name: nonEmpty(parameters["model.name"]) ?? "default" },
    criteria: criteriaOf(parameters),
    scale: scaleOf(parameters["scale"]),
    threshold: thresholdOf(parameters["threshold"]),
    structuredOutput: booleanOf(parameters["structuredOutput"], "structuredOutput", true),
  };
  const prompt = nonEmpty(parameters["prompt"]);
  if (prompt) settings.prompt = prompt;
  const temperature = parameters["temperature"] ?? DEFAULT_TEMPERATURE;
  if (temperature !== "") settings.temperature = temperature;
  return settings;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function criteriaOf(parameters: EvaluatorParameters): string[] {
  const raw = nonEmpty(parameters["criteria"]) ?? nonEmpty(parameters["scope"]);
  if (!raw) return [...DEFAULT_CRITERIA];
  const names = raw
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new EvaluationFailure(`parameter criteria: "${name}" is not a criterion name (letters, digits, _ and -)`);
  }
  return names;
}

/** `threshold`: 0..1; a value above 1 up to 100 is read as upstream's percentage (70 → 0.7). */
export function thresholdOf(raw: string | undefined): number {
  const value = nonEmpty(raw);
  if (value === undefined) return DEFAULT_THRESHOLD;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new EvaluationFailure(`parameter threshold: "${value}" is not a number in 0..1 (or a percentage up to 100)`);
  return n > 1 ? n / 100 : n;
}

/** `scale`: the judge's maximum score, `100`, `10`, `1` or a range such as `0-100`. */
function scaleOf(raw: string | undefined): number {
  const value = nonEmpty(raw);
  if (value === undefined) return DEFAULT_SCALE;
  const match = /^(?:0\s*-\s*)?([0-9]+(?:\.[0-9]+)?)$/.exec(value);
  const n = match ? Number(match[1]) : NaN;
  if (!(n > 0)) throw new EvaluationFailure(`parameter scale: "${value}" is not a positive maximum score such as 100, 10 or 0-100`);
  return n;
}

function booleanOf(raw: string | undefined, name: string, fallback: boolean): boolean {
  const value = nonEmpty(raw)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new EvaluationFailure(`parameter ${name}: "${raw}" is neither true nor false`);
}
