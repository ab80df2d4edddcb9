import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffDelay } from "./backoff.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("backoffDelay", () => {
  it("doubles from the base after each failure in a row and stops at the cap", () => {
    expect([1, 2, 3, 4, 5].map((failures) => backoffDelay(failures, { baseMs: 250, maxMs: 2_000 }))).toEqual([250, 500, 1_000, 2_000, 2_000]);
  });

  it("is 0 before any failure and stays finite after very many", () => {
    expect(backoffDelay(0)).toBe(0);
    expect(backoffDelay(-1, { jitter: 1 })).toBe(0);
    expect(backoffDelay(10_000, { baseMs: 1, maxMs: Infinity })).toBe(2 ** 52);
    expect(backoffDelay(Infinity, { baseMs: 1_000, maxMs: 5_000 })).toBe(5_000);
  });

  it("with jitter, draws a whole number of milliseconds between delay·(1 − jitter) and the capped delay", () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    expect(backoffDelay(3, { baseMs: 500, maxMs: 8_000, jitter: 0.5 })).toBe(2_000);
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    expect(backoffDelay(3, { baseMs: 500, maxMs: 8_000, jitter: 0.5 })).toBe(1_000);
    expect(backoffDelay(9, { baseMs: 500, maxMs: 8_000, jitter: 0.5 })).toBe(4_000);
    vi.restoreAllMocks();
    const draws = Array.from({ length: 200 }, () => backoffDelay(2, { baseMs: 333, maxMs: 10_000, jitter: 0.25 }));
    for (const delay of draws) {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(Math.round(666 * 0.75));
      expect(delay).toBeLessThanOrEqual(666);
    }
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it("never goes below zero or above the delay, even with a jitter past 1", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    expect(backoffDelay(1, { baseMs: 1_000, jitter: 5 })).toBe(0);
  });
});
