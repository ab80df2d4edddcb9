import { describe, expect, it } from "vitest";
import { getCondition, isTrue, setCondition } from "./conditions.js";

const t0 = new Date("2026-01-01T00:00:00.123Z");
const t1 = new Date("2026-01-01T00:05:00Z");

describe("conditions", () => {
  it("adds a condition with the transition time and observed generation", () => {
    const conditions = setCondition(undefined, { type: "Ready", status: "True", reason: "Resolved", message: "ok" }, 3, t0);
    expect(conditions).toEqual([{ type: "Ready", status: "True", reason: "Resolved", message: "ok", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 3 }]);
    expect(isTrue(conditions, "Ready")).toBe(true);
  });

  it("keeps lastTransitionTime when the status stays, and moves it when the status flips", () => {
    const first = setCondition(undefined, { type: "Ready", status: "False", reason: "ModelNotFound" }, 1, t0);
    const same = setCondition(first, { type: "Ready", status: "False", reason: "ToolNotFound", message: "tool x" }, 2, t1);
    expect(getCondition(same, "Ready")).toMatchObject({ reason: "ToolNotFound", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 2 });
    const flipped = setCondition(same, { type: "Ready", status: "True", reason: "Resolved" }, 2, t1);
    expect(getCondition(flipped, "Ready")?.lastTransitionTime).toBe("2026-01-01T00:05:00Z");
    expect(getCondition(flipped, "Ready")?.message).toBeUndefined();
  });

  it("returns a new array in the same order, leaving the input untouched", () => {
    const a = setCondition(undefined, { type: "A", status: "True" }, 1, t0);
    const ab = setCondition(a, { type: "B", status: "Unknown" }, 1, t0);
    const updated = setCondition(ab, { type: "A", status: "False" }, 1, t1);
    expect(updated.map((c) => c.type)).toEqual(["A", "B"]);
    expect(ab[0]?.status).toBe("True");
    expect(isTrue(updated, "A")).toBe(false);
    expect(isTrue(updated, "Missing")).toBe(false);
  });
});
