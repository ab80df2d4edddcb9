import { describe, expect, it } from "vitest";
import { fakeResource } from "../test-support/resource-fixtures.js";
import { humanDuration, toTable, toWatchEventTable, wantsTable } from "./index.js";

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const now = Date.parse("2026-11-25T12:00:00Z");

const models = fakeResource({
  group: "ark.mckinsey.com",
  version: "v1alpha1",
  kind: "Model",
  plural: "models",
  printerColumns: [
    { name: "Model", type: "string", jsonPath: ".spec.model.value" },
    { name: "Ready", type: "string", jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
    { name: "Evaluations", type: "integer", jsonPath: ".status.evaluations.length", priority: 1 },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
});
const model = {
  apiVersion: "ark.mckinsey.com/v1alpha1",
  kind: "Model",
  metadata: { name: "default", namespace: "default", creationTimestamp: "2026-11-25T11:57:00Z", labels: { a: "b" } },
  spec: { model: { value: "gpt-4.1-mini" } },
  status: { conditions: [{ type: "Ready", status: "True" }], evaluations: [1, 2] },
};

describe("wantsTable", () => {
  it("recognises kubectl get's Accept header", () => {
    expect(wantsTable(TABLE)).toBe(true);
    expect(wantsTable("application/json;as=Table;g=meta.k8s.io;v=v1beta1")).toBe(true);
  });

  it("is false for plain JSON", () => {
    expect(wantsTable("application/json")).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
    expect(wantsTable("application/json;as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v2")).toBe(false);
  });
});

describe("toTable", () => {
  it("renders Name, the printer columns and ages", () => {
    const table = toTable(models, [model], { includeObject: "Metadata", now, listMeta: { resourceVersion: "42" } });
    expect(table).toMatchObject({
      kind: "Table",
      apiVersion: "meta.k8s.io/v1",
      metadata: { resourceVersion: "42" },
      columnDefinitions: [
        { name: "Name", type: "string", format: "name", priority: 0 },
        { name: "Model", type: "string", priority: 0 },
        { name: "Ready", type: "string" },
        { name: "Evaluations", type: "integer", priority: 1 },
        { name: "Age", type: "date" },
      ],
      rows: [
        {
          cells: ["default", "gpt-4.1-mini", "True", 2, "3m"],
          object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: model.metadata },
        },
      ],
    });
  });

  it("gives null cells for missing values and honours includeObject", () => {
    const bare = { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Model", metadata: { name: "x" } };
    const none = toTable(models, [bare], { includeObject: "None", now }) as { rows: { cells: unknown[]; object?: unknown }[] };
    expect(none.rows[0]).toEqual({ cells: ["x", null, null, null, null] });
    const full = toTable(models, [bare], { includeObject: "Object", now }) as { rows: { object?: unknown }[] };
    expect(full.rows[0]?.object).toBe(bare);
  });

  it("adds an Age column when the resource has no printer columns", () => {
    const plain = fakeResource({ group: "", version: "v1", kind: "Thing", plural: "things" });
    const table = toWatchEventTable(plain, model, { includeObject: "Metadata", now }) as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Age"]);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]?.cells).toEqual(["default", "3m"]);
  });
});

describe("a resource that places Name itself", () => {
  it("shows it where listed, with its priority", () => {
    const events = fakeResource({
      group: "",
      version: "v1",
      kind: "Event",
      plural: "events",
      printerColumns: [
        { name: "Reason", type: "string", jsonPath: ".reason" },
        { name: "Name", type: "string", jsonPath: ".metadata.name", priority: 1 },
      ],
    });
    const table = toTable(events, [{ metadata: { name: "e1" }, reason: "Started" }], { includeObject: "None", now }) as {
      columnDefinitions: { name: string; format: string; priority: number }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.columnDefinitions.map((c) => [c.name, c.format, c.priority])).toEqual([
      ["Reason", "", 0],
      ["Name", "name", 1],
    ]);
    expect(table.rows[0]?.cells).toEqual(["Started", "e1"]);
  });
});

describe("humanDuration", () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [-5 * s, "<invalid>"],
    [-1 * s, "0s"],
    [0, "0s"],
    [5 * s, "5s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [3 * m + 12 * s, "3m12s"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 5 * m, "3h5m"],
    [8 * h + 5 * m, "8h"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [2 * d + 4 * h, "2d4h"],
    [8 * d + 4 * h, "8d"],
    [400 * d, "400d"],
    [3 * 365 * d + 10 * d, "3y10d"],
    [9 * 365 * d, "9y"],
  ])("%d ms → %s", (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});
