import { describe, expect, it } from "vitest";
import { evaluateJsonPath, JsonPathError } from "./jsonpath.js";

const obj = {
  metadata: { name: "a", labels: { "app.kubernetes.io/name": "x" } },
  spec: { model: { value: "gpt-4.1" }, ports: [{ port: 80 }, { port: 443 }] },
  status: {
    phase: "ready",
    conditions: [
      { type: "Available", status: "False" },
      { type: "Ready", status: "True" },
    ],
    evaluations: [{ score: 1 }, { score: 2 }, { score: 3 }],
  },
};

describe("evaluateJsonPath", () => {
  it.each([
    [".status.phase", ["ready"]],
    ["$.status.phase", ["ready"]],
    ["{.status.phase}", ["ready"]],
    [".spec.model.value", ["gpt-4.1"]],
    [".status.conditions[?(@.type=='Ready')].status", ["True"]],
    ['.status.conditions[?(@.type=="Available")].status', ["False"]],
    [".status.conditions[?(@.type!='Ready')].type", ["Available"]],
    [".status.evaluations.length", [3]],
    [".metadata.labels.length", [1]],
    [".spec.ports[*].port", [80, 443]],
    [".spec.ports[1].port", [443]],
    [".spec.ports[-1].port", [443]],
    [".metadata.labels['app.kubernetes.io/name']", ["x"]],
    ["{.metadata.name}/{.status.phase}", ["a/ready"]],
    [".status.missing", []],
    [".status.conditions[?(@.type=='Nope')].status", []],
    ["{.status.missing}/{.status.nothing}", []],
  ])("%s", (path, expected) => {
    expect(evaluateJsonPath(path, obj)).toEqual(expected);
  });

  it("rejects what it cannot parse", () => {
    expect(() => evaluateJsonPath(".a[1:2]", obj)).toThrow(JsonPathError);
    expect(() => evaluateJsonPath(".a[0", obj)).toThrow(JsonPathError);
  });
});
