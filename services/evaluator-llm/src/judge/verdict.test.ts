import { describe, expect, it } from "vitest";
import { formatScore, parseVerdict } from "./verdict.js";

const parse = (text: string, scale = 100) => parseVerdict(text, scale, "model team/judge");

describe("parseVerdict", () => {
  it("reads JSON, also fenced and with prose around it", () => {
    expect(parse('```json\n{"score": 70, "passed": true, "reasoning": "ok", "criteria_scores": {"clarity": "50"}}\n```')).toEqual({
      score: 0.7,
      judgePassed: true,
      reasoning: "ok",
      criteria: { clarity: 0.5 },
    });
    expect(parse('Here is my verdict: {"score": "85"} Thanks.').score).toBe(0.85);
  });

  it("reads upstream's lines, bracketed and in any case", () => {
    expect(parse("score: [64]\npassed: [false]\nreasoning: [thin]")).toEqual({ score: 0.64, judgePassed: false, reasoning: "[thin]", criteria: {} });
  });

  it("keeps a fraction a judge gave on a larger scale, and divides whole numbers by the scale", () => {
    expect(parse("SCORE: 0.85").score).toBe(0.85);
    expect(parse("SCORE: 1").score).toBe(0.01);
    expect(parse("SCORE: 7", 10).score).toBe(0.7);
  });

  it("refuses what has no score, a score that is no number, and one beyond the scale", () => {
    expect(() => parse("")).toThrow('judge model team/judge answered without a score (expected a JSON object with "score" or a "SCORE:" line): an empty answer');
    expect(() => parse("SCORE: excellent")).toThrow('judge\'s SCORE line "excellent" holds no number');
    expect(() => parse('{"score": "high"}')).toThrow('judge\'s score "high" is not a number');
    expect(() => parse("SCORE: 11", 10)).toThrow("judge's score 11 is outside 0..10");
    expect(() => parse("x".repeat(1000))).toThrow(/x{300}… \(1000 characters\)"$/);
  });
});

describe("formatScore", () => {
  it("writes what Evaluation.status.score admits", () => {
    expect([0, 1, 0.5, 0.12345, 2 / 3].map(formatScore)).toEqual(["0", "1", "0.5", "0.123", "0.667"]);
  });
});
