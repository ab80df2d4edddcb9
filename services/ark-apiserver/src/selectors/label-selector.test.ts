import { describe, expect, it } from "vitest";
import { matchesLabels, parseLabelSelector, SelectorParseError } from "./label-selector.js";

describe("label selectors", () => {
  it("parses every operator Kubernetes has", () => {
    expect(parseLabelSelector("a=1,b==2,c!=3,d in (x, y),e notin (z),f,!g")).toEqual([
      { key: "a", op: "=", value: "1" },
      { key: "b", op: "=", value: "2" },
      { key: "c", op: "!=", value: "3" },
      { key: "d", op: "in", values: ["x", "y"] },
      { key: "e", op: "notin", values: ["z"] },
      { key: "f", op: "exists" },
      { key: "g", op: "!exists" },
    ]);
    expect(() => parseLabelSelector("a in b")).toThrow(SelectorParseError);
  });

  it("matches as Kubernetes does: != and notin also match objects without the label", () => {
    const match = (selector: string, labels: Record<string, string>) => matchesLabels(parseLabelSelector(selector), labels);
    expect(match("tier!=front", {})).toBe(true);
    expect(match("tier notin (front)", {})).toBe(true);
    expect(match("tier in (front)", {})).toBe(false);
    expect(match("app.kubernetes.io/name=ark,!legacy", { "app.kubernetes.io/name": "ark" })).toBe(true);
  });
});
