import { describe, expect, it } from "vitest";
import { Duration, formatDuration, isDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["0", 0],
    ["300ms", 300],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["720h", 2_592_000_000],
    ["1.5h", 5_400_000],
    ["2m0.5s", 120_500],
    [".5s", 500],
    ["1500us", 1.5],
    ["1µs", 0.001],
    ["-1m", -60_000],
    ["+2s", 2000],
  ])("%s = %d ms", (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(["", "5", "1d", "5 minutes", "m", "1h-30m", "--1s", "1.2.3s", "PT5M"])("rejects %j", (text) => {
    expect(isDuration(text)).toBe(false);
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
    expect(Duration.safeParse(text).success).toBe(false);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [250, "250ms"],
    [2500, "2.5s"],
    [300_000, "5m0s"],
    [5_400_000, "1h30m0s"],
    [-60_000, "-1m0s"],
  ])("%d ms = %s, which parses back", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
