import { describe, expect, it } from "vitest";
import { kindByName } from "../manifests/kinds.js";
import { formatAge } from "./age.js";
import { readJsonPath } from "./json-path.js";
import { formatResourceTable } from "./resource-table.js";
import { formatTable } from "./table.js";

describe("formatTable", () => {
  it("pads columns to the widest cell, upper-cases headers and trims line ends", () => {
    expect(
      formatTable(
        ["name", "phase"],
        [
          ["a", "done"],
          ["longer-name", ""],
        ],
      ),
    ).toBe(["NAME          PHASE", "a             done", "longer-name"].join("\n"));
  });
});

describe("formatAge", () => {
  const now = new Date("2026-01-02T00:00:00Z");
  it.each([
    ["2026-01-01T23:59:15Z", "45s"],
    ["2026-01-01T23:55:30Z", "4m30s"],
    ["2026-01-01T23:00:00Z", "60m"],
    ["2026-01-01T20:40:00Z", "3h20m"],
    ["2026-01-01T00:00:00Z", "24h"],
    ["2025-12-28T00:00:00Z", "5d"],
  ])("%s → %s", (since, age) => expect(formatAge(since, now)).toBe(age));

  it("says <unknown> without a time", () => expect(formatAge(undefined, now)).toBe("<unknown>"));
});

describe("readJsonPath", () => {
  const object = { status: { phase: "done", evaluations: [{ name: "e" }, {}] }, spec: { members: [{ name: "m0" }] } };
  it("reads fields, indexes and lengths", () => {
    expect(readJsonPath(object, ".status.phase")).toBe("done");
    expect(readJsonPath(object, ".spec.members[0].name")).toBe("m0");
    expect(readJsonPath(object, ".status.evaluations.length")).toBe(2);
    expect(readJsonPath(object, ".status.missing.deeper")).toBeUndefined();
  });
});

describe("formatResourceTable", () => {
  it("prints NAME, the kind's printer columns and AGE", () => {
    const now = new Date("2026-01-01T00:10:00Z");
    const query = { metadata: { name: "q1", creationTimestamp: "2026-01-01T00:00:00Z" }, status: { phase: "done", duration: "1.2s", evaluations: [] } };
    const lines = formatResourceTable(kindByName("queries"), [query], now).split("\n");
    expect(lines[0]!.split(/\s+/)).toEqual(["NAME", "PHASE", "DURATION", "EVALUATIONS", "AGE"]);
    expect(lines[1]!.split(/\s+/)).toEqual(["q1", "done", "1.2s", "0", "10m"]);
  });
});
