import { renderTemplate, type ResponseFormat } from "@ark/engine";
import { EvaluationFailure } from "../evaluations/failure.js";
import type { JudgeSettings } from "./settings.js";

/** What is judged: the question, the answers (one per target), and a reference answer for baselines. */
export interface JudgeSubject {
  input: string;
  responses: { label: string; content: string }[];
  expected?: string;
}

/** The answer format a judge is held to: JSON (structured output) or upstream's lines. */
export type VerdictFormat = "json" | "lines";

function responsesText(subject: JudgeSubject): string {
  return subject.responses.map((r) => `${r.label}:\n${r.content}`).join("\n\n");
}

function formatNumber(n: number): string {
  return String(Number(n.toFixed(3)));
}

/** Upstream's judge instructions (docs/upstream-compat.md §10.2), with the criteria and scale of the parameters. */
function defaultInstructions(subject: JudgeSubject, settings: JudgeSettings): string {
  const parts = ["You are an impartial evaluator. Assess how well the response answers the user's query.", `User query:\n${subject.input}`, responsesText(subject)];
  if (subject.expected !== undefined) parts.push(`Expected answer (the reference to compare against):\n${subject.expected}`);
  parts.push(`Evaluate the response on: ${settings.criteria.join(", ")}. Score each criterion and the response overall from 0 to ${formatNumber(settings.scale)}.`);
  return parts.join("\n\n");
}

function answerFormat(settings: JudgeSettings, format: VerdictFormat): string {
  const max = formatNumber(settings.scale);
  const passAt = formatNumber(settings.threshold * settings.scale);
  if (format === "json") {
    return [
      "Answer with a JSON object only:",
      `{"score": <0-${max}>, "passed": <true if score >= ${passAt}>, "reasoning": "<one paragraph>", "criteria_scores": {${settings.criteria.map((c) => `"${c}": <0-${max}>`).join(", ")}}}`,
    ].join("\n");
  }
  return [
    "Answer in exactly this format, one item per line:",
    `SCORE: [0-${max}]`,
    `PASSED: [true/false] (true if score >= ${passAt})`,
    "REASONING: [one paragraph]",
    `CRITERIA_SCORES: ${settings.criteria.map((c) => `${c}=[0-${max}]`).join(", ")}`,
  ].join("\n");
}

/** The single user message sent to the judge. */
export function judgePrompt(subject: JudgeSubject, settings: JudgeSettings, format: VerdictFormat): string {
  let instructions: string;
  if (settings.prompt) {
    const data = {
      input: subject.input,
      responses: responsesText(subject),
      output: subject.responses.map((r) => r.content).join("\n\n"),
      expected: subject.expected ?? "",
      criteria: settings.criteria.join(", "),
      scale: formatNumber(settings.scale),
      threshold: formatNumber(settings.threshold),
    };
    try {
      instructions = renderTemplate(settings.prompt, data, "parameter prompt");
    } catch (err) {
      throw new EvaluationFailure((err as Error).message, { cause: err });
    }
  } else {
    instructions = defaultInstructions(subject, settings);
  }
  return `${instructions}\n\n${answerFormat(settings, format)}`;
}

/** The json_schema response format matching the JSON answer format. */
export function verdictResponseFormat(settings: JudgeSettings): ResponseFormat {
  const criteria = Object.fromEntries(settings.criteria.map((c) => [c, { type: "number" }]));
  return {
    type: "json_schema",
    json_schema: {
      name: "evaluation_verdict",
      strict: true,
      schema: {
        type: "object",
        properties: {
          score: { type: "number" },
          passed: { type: "boolean" },
          reasoning: { type: "string" },
          criteria_scores: { type: "object", properties: criteria, required: settings.criteria, additionalProperties: false },
        },
        required: ["score", "passed", "reasoning", "criteria_scores"],
        additionalProperties: false,
      },
    },
  };
}
