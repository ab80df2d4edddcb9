import { describe, expect, it } from "vitest";
import { formatFieldError } from "./kinds/definition.js";
import { arkKinds } from "./kinds/index.js";
import { validateArkResource } from "./validate.js";
import type { ArkObject } from "./validate.js";
import { loadFixture, nameOf } from "./fixtures/load.js";

const isArk = (doc: Record<string, unknown>) => String(doc.apiVersion).startsWith("ark.mckinsey.com/");

function expectValid(doc: unknown): ArkObject {
  const result = validateArkResource(doc, { fieldValidation: "Strict" });
  if (!result.ok) throw new Error(result.errors.map(formatFieldError).join("\n"));
  expect(result.warnings).toEqual([]);
  return result.object;
}

const spec = (object: ArkObject) => object.spec as Record<string, any>;

describe("upstream Appendix B examples", () => {
  const docs = loadFixture("appendix-b.yaml").filter(isArk);

  it.each(docs.map((d) => [nameOf(d), d] as const))("%s is valid", (_name, doc) => {
    expectValid(doc);
  });

  it("applies the schema defaults", () => {
    const byName = new Map(docs.map((d) => [nameOf(d), expectValid(d)]));
    const tool = spec(byName.get("Tool/create-post")!);
    expect(tool.http.method).toBe("POST");
    const mcp = spec(byName.get("MCPServer/github")!);
    expect(mcp).toMatchObject({ transport: "http", pollInterval: "5m", timeout: "30s" });
    const query = spec(byName.get("Query/q1")!);
    expect(query).toMatchObject({ timeout: "2m", ttl: "24h" });
    const evaluator = spec(byName.get("Evaluator/evaluator-llm")!);
    expect(evaluator.selector).toEqual({ resourceType: "Query", apiGroup: "ark.mckinsey.com", matchLabels: { evaluate: "true" } });
    const evaluation = spec(byName.get("Evaluation/direct-eval")!);
    expect(evaluation).toMatchObject({ type: "direct", ttl: "720h", timeout: "5m", config: { concurrency: 10, continueOnFailure: false } });
    const a2a = spec(byName.get("A2AServer/hosted-agents")!);
    expect(a2a.pollInterval).toBe("1m");
    const model = spec(byName.get("Model/default")!);
    expect(model.config.azure.apiKey.valueFrom.secretKeyRef).toEqual({ name: "azure-key", key: "token" });
  });
});

describe("full manifests", () => {
  const docs = loadFixture("full-manifests.yaml");

  it("cover every kind", () => {
    expect(new Set(docs.map((d) => d.kind))).toEqual(new Set(arkKinds.map((k) => k.kind)));
  });

  it.each(docs.map((d) => [nameOf(d), d] as const))("%s is valid, with status", (_name, doc) => {
    const object = expectValid(doc);
    expect(object.status).toEqual(doc.status);
    expect(object.metadata).toBe(doc.metadata);
  });

  it("keeps every given spec field", () => {
    for (const doc of docs) {
      expect(expectValid(doc).spec, nameOf(doc)).toMatchObject(doc.spec as object);
    }
  });
});

describe("defaults of minimal manifests", () => {
  const minimal = (kind: string, apiVersion: string, specBody: object) => expectValid({ apiVersion, kind, metadata: { name: "x" }, spec: specBody });

  it("query: timeout 5m, ttl 720h", () => {
    const q = minimal("Query", "ark.mckinsey.com/v1alpha1", { input: "hi", target: { type: "agent", name: "a" } });
    expect(spec(q)).toEqual({ input: "hi", target: { type: "agent", name: "a" }, timeout: "5m", ttl: "720h" });
  });

  it("mcpserver: transport http, pollInterval 1m, timeout 30s", () => {
    const m = minimal("MCPServer", "ark.mckinsey.com/v1alpha1", { address: { value: "http://m/mcp" } });
    expect(spec(m)).toEqual({ address: { value: "http://m/mcp" }, transport: "http", pollInterval: "1m", timeout: "30s" });
  });

  it("tool: http method GET", () => {
    const t = minimal("Tool", "ark.mckinsey.com/v1alpha1", { type: "http", http: { url: "https://x" } });
    expect(spec(t).http.method).toBe("GET");
  });

  it("secret and configmap key selectors: name defaults to empty", () => {
    const m = minimal("Memory", "ark.mckinsey.com/v1alpha1", { address: { valueFrom: { serviceRef: { name: "mem" } } } });
    expect(spec(m).address.valueFrom.serviceRef).toEqual({ name: "mem" });
  });

  it("agent: an absent spec is an empty spec", () => {
    const a = expectValid({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name: "a" } });
    expect(a.spec).toEqual({});
  });
});

describe("unknown fields", () => {
  const agent = {
    apiVersion: "ark.mckinsey.com/v1alpha1",
    kind: "Agent",
    metadata: { name: "a" },
    spec: { prompt: "hi", foo: 1, tools: [{ type: "built-in", name: "noop", bar: true }], outputSchema: { anything: { goes: 1 } } },
    extra: "top",
  };

  it("Strict rejects each with its path", () => {
    const result = validateArkResource(agent, { fieldValidation: "Strict" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { field: "extra", type: "Field not declared in schema", detail: "" },
      { field: "spec.foo", type: "Field not declared in schema", detail: "" },
      { field: "spec.tools[0].bar", type: "Field not declared in schema", detail: "" },
    ]);
  });

  it("Warn accepts, warns like Kubernetes, and drops them", () => {
    const result = validateArkResource(agent, { fieldValidation: "Warn" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual(['unknown field "extra"', 'unknown field "spec.foo"', 'unknown field "spec.tools[0].bar"']);
    expect(result.object.spec).toEqual({ prompt: "hi", tools: [{ type: "built-in", name: "noop" }], outputSchema: { anything: { goes: 1 } } });
    expect(result.object).not.toHaveProperty("extra");
  });

  // Regression: a key named like an Object.prototype member made the schema walk throw (a 500 in ark-api).
  it("treats keys named like built-in object properties as unknown fields, never throwing", () => {
    const odd = { ...agent, extra: undefined, spec: { prompt: "hi", constructor: 1, toString: "x", tools: [{ type: "built-in", name: "noop", hasOwnProperty: null }] } };
    const result = validateArkResource(JSON.parse(JSON.stringify(odd)), { fieldValidation: "Strict" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(["spec.constructor", "spec.toString"]);
  });

  it("Ignore drops them silently", () => {
    const result = validateArkResource(agent, { fieldValidation: "Ignore" });
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (result.ok) expect(spec(result.object)).not.toHaveProperty("foo");
  });

  it("the default is Warn", () => {
    expect(validateArkResource(agent)).toMatchObject({ ok: true, warnings: expect.arrayContaining(['unknown field "spec.foo"']) });
  });

  it("checks status fields too", () => {
    const result = validateArkResource(
      { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Memory", metadata: { name: "m" }, spec: { address: { value: "x" } }, status: { phase: "ready", colour: "red" } },
      { fieldValidation: "Strict" },
    );
    expect(result).toMatchObject({ ok: false, errors: [{ field: "status.colour", type: "Field not declared in schema" }] });
  });

  it("null fields are pruned, as Kubernetes does, not reported", () => {
    const result = validateArkResource(
      { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name: "a" }, spec: { prompt: null, description: "d", outputSchema: { keep: null } } },
      { fieldValidation: "Strict" },
    );
    expect(result).toMatchObject({ ok: true, object: { spec: { description: "d", outputSchema: { keep: null } } } });
  });
});

describe("bad input never throws", () => {
  const cases: [string, unknown][] = [
    ["null", null],
    ["undefined", undefined],
    ["an array", [{ kind: "Agent" }]],
    ["a string", "apiVersion: ark.mckinsey.com/v1alpha1"],
    ["a number", 42],
    ["an empty object", {}],
    ["a core kind", { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }],
    ["an unknown ARK kind", { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Workflow", metadata: { name: "w" } }],
    ["a wrong version", { apiVersion: "ark.mckinsey.com/v1", kind: "Agent", metadata: { name: "a" } }],
    ["a non-string apiVersion", { apiVersion: 1, kind: ["Agent"] }],
    ["a spec that is a string", { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Query", metadata: { name: "q" }, spec: "input: hi" }],
    ["metadata that is a list", { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: ["a"], spec: {} }],
    ["a status that is a number", { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name: "a" }, status: 1 }],
    ["deeply wrong types", { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Team", metadata: { name: "t" }, spec: { members: "a", graph: { edges: [null, 1] } } }],
  ];

  it.each(cases)("%s gives errors", (_name, input) => {
    const result = validateArkResource(input, { fieldValidation: "Strict" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
  });

  it("names the wrong apiVersion and kind", () => {
    expect(validateArkResource({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } })).toMatchObject({
      ok: false,
      errors: [{ field: "apiVersion", type: "Unsupported value", value: "v1" }],
    });
    expect(validateArkResource({ apiVersion: "ark.mckinsey.com/v1prealpha1", kind: "Agent", metadata: { name: "a" } })).toMatchObject({
      ok: false,
      errors: [{ field: "apiVersion", type: "Unsupported value", detail: expect.stringContaining('"ark.mckinsey.com/v1alpha1"') }],
    });
    expect(validateArkResource({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Workflow", metadata: { name: "w" } })).toMatchObject({
      ok: false,
      errors: [{ field: "kind", type: "Unsupported value", detail: expect.stringContaining('"Agent"') }],
    });
  });
});

describe("metadata", () => {
  const agent = (metadata: unknown) => ({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata, spec: {} });

  it("formats an invalid name as Kubernetes does", () => {
    const result = validateArkResource(agent({ name: "Foo_1" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatFieldError(result.errors[0]!)).toMatch(/^metadata\.name: Invalid value: "Foo_1": a lowercase RFC 1123 subdomain must consist of/);
  });

  it("requires a name or generateName", () => {
    expect(validateArkResource(agent({}))).toMatchObject({ ok: false, errors: [{ field: "metadata.name", type: "Required value" }] });
    expect(validateArkResource(agent(undefined))).toMatchObject({ ok: false, errors: [{ field: "metadata.name", type: "Required value" }] });
    expect(validateArkResource(agent({ generateName: "agent-" }))).toMatchObject({ ok: true });
  });

  it("rejects a too long name and a bad namespace", () => {
    expect(validateArkResource(agent({ name: "a".repeat(254) }))).toMatchObject({ ok: false, errors: [{ field: "metadata.name" }] });
    expect(validateArkResource(agent({ name: "a", namespace: "Team.A" }))).toMatchObject({ ok: false, errors: [{ field: "metadata.namespace" }] });
  });

  it("passes metadata through untouched", () => {
    const metadata = { name: "a", labels: { x: "y" }, annotations: { z: "w" }, resourceVersion: "12", finalizers: ["f"] };
    const result = validateArkResource(agent(metadata));
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.object.metadata).toBe(metadata);
  });
});

describe("all errors at once, in a stable order", () => {
  it("reports every schema error of a manifest", () => {
    const doc = {
      apiVersion: "ark.mckinsey.com/v1alpha1",
      kind: "Query",
      metadata: { name: "Bad" },
      spec: { input: "", targets: [{ type: "x", name: "a" }, { type: "agent" }], timeout: "soon" },
    };
    const first = validateArkResource(doc);
    const second = validateArkResource(doc);
    expect(first).toEqual(second);
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.errors.map((e) => `${e.field}: ${e.type}`)).toEqual([
      "metadata.name: Invalid value",
      // spec.input is schemaless (a string or messages, as upstream): admission checks it, after the schema.
      "spec.targets[0].type: Unsupported value",
      "spec.targets[1].name: Required value",
      "spec.timeout: Invalid value",
    ]);
  });

  it("reports every admission error of a manifest", () => {
    const result = validateArkResource({
      apiVersion: "ark.mckinsey.com/v1alpha1",
      kind: "Agent",
      metadata: { name: "a" },
      spec: { tools: [{ type: "built-in" }, { type: "custom" }, { type: "built-in", name: "sleep" }], parameters: [{ name: "p" }] },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(["spec.parameters[0]", "spec.tools[0].name", "spec.tools[1].name", "spec.tools[2].name"]);
  });
});

describe("updates of objects being deleted", () => {
  const deleting = {
    apiVersion: "ark.mckinsey.com/v1alpha1",
    kind: "Query",
    metadata: { name: "q", deletionTimestamp: "2025-01-01T00:00:00Z", finalizers: [] },
    spec: { input: "hi" },
  };

  it("skip the admission rules so finalizers can always be removed", () => {
    expect(validateArkResource(deleting, { operation: "update" })).toMatchObject({ ok: true });
    expect(validateArkResource(deleting, { operation: "create" })).toMatchObject({ ok: false });
  });
});
