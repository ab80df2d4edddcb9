import { describe, expect, it } from "vitest";
import { fakeResource } from "../../test-support/resource-fixtures.js";
import { isNoop, jsonEqual, withGeneration } from "./object-meta.js";

describe("comparing objects as stored", () => {
  it("compares as JSON would: member order and undefined members do not count", () => {
    expect(jsonEqual({ a: 1, b: { c: [1, "x", null] } }, { b: { c: [1, "x", null] }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, gone: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([undefined], [null])).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: "1" }, { a: 1 })).toBe(false);
    expect(jsonEqual({ a: {} }, { a: [] })).toBe(false);
    expect(jsonEqual({ a: null }, {})).toBe(false);
  });

  it("counts a write as a no-op when only the resourceVersion differs, and bumps generation on spec changes only", () => {
    const rt = fakeResource({ group: "ark.mckinsey.com", version: "v1alpha1", kind: "Agent", plural: "agents" });
    const current = { metadata: { name: "a", resourceVersion: "5", generation: 3 }, spec: { prompt: "p" }, status: { x: 1 } };
    expect(isNoop(current, { ...current, metadata: { ...current.metadata, resourceVersion: "6" } })).toBe(true);
    expect(isNoop(current, { ...current, status: { x: 2 } })).toBe(false);
    expect(withGeneration(rt, current, { ...current, status: { x: 2 } }).metadata.generation).toBe(3);
    expect(withGeneration(rt, current, { ...current, spec: { prompt: "q" } }).metadata.generation).toBe(4);
  });
});
