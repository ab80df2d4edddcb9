import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  it("doubles from the base after each failure in a row and stops at the cap", () => {
    expect([1, 2, 3, 4, 5].map((failures) => backoffDelay(failures, { baseMs: 250, maxMs: 2_000 }))).toEqual([250, 500, 1_000, 2_000, 2_000]);
  });

  it("is 0 before any failure and stays finite after very many", () => {
    expect(backoffDelay(0)).toBe(0);
    expect(backoffDelay(10_000, { baseMs: 1, maxMs: Infinity })).toBe(2 ** 52);
  });
});
