import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadFixture } from "../fixtures/load.js";
import { arkKinds, GROUP } from "../kinds/index.js";
import { compileOpenAPIValidator } from "./ajv-openapi.js";
import { openAPIV3SchemaFor, toCustomResourceDefinition } from "./crd.js";
import { crdToYaml } from "./crd-yaml.js";
import { crdProblems } from "./crd-validation.js";

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> };

const examples = (loadFixture("appendix-b.yaml") as Manifest[]).filter((m) => m.apiVersion.startsWith(`${GROUP}/`));

function definitionOf(kind: string) {
  const def = arkKinds.find((d) => d.kind === kind);
  if (def === undefined) throw new Error(`no KindDefinition for ${kind}`);
  return def;
}

function crdErrors(manifest: Manifest): string[] {
  return compileOpenAPIValidator(openAPIV3SchemaFor(definitionOf(manifest.kind)))(manifest);
}

describe("every ARK CRD", () => {
  it("covers the fourteen ARK kinds", () => {
    expect(arkKinds.map((d) => d.kind).sort()).toEqual([
      "A2AServer",
      "A2ATask",
      "Agent",
      "Evaluation",
      "Evaluator",
      "ExecutionEngine",
      "MCPServer",
      "Memory",
      "Model",
      "Query",
      "ReferenceGrant",
      "Team",
      "Tool",
      "ToolApprovalRequest",
    ]);
  });

  for (const def of arkKinds) {
    it(`${def.kind} is a valid, structural apiextensions.k8s.io/v1 CRD`, () => {
      expect(crdProblems(toCustomResourceDefinition(def))).toEqual([]);
    });

    it(`${def.kind} YAML reads back as the same CRD`, () => {
      const crd = toCustomResourceDefinition(def);
      expect(parse(crdToYaml(crd))).toEqual(crd);
    });
  }
});

describe("CRD schemas accept upstream's example manifests (Appendix B)", () => {
  it("has every kind's example", () => {
    expect(new Set(examples.map((m) => m.kind)).size).toBe(11);
  });

  for (const manifest of examples) {
    it(`${manifest.kind} ${manifest.metadata.name}`, () => {
      const def = definitionOf(manifest.kind);
      expect(manifest.apiVersion).toBe(`${def.group}/${def.version}`);
      expect(crdErrors(manifest)).toEqual([]);
      // The CRD and the zod schema must agree on what is valid.
      expect(def.spec.safeParse(manifest.spec).error?.issues ?? []).toEqual([]);
    });
  }
});

describe("CRD schemas reject wrong manifests", () => {
  const example = (kind: string): Manifest => structuredClone(examples.find((m) => m.kind === kind) as Manifest);
  const wrong: [string, Manifest, RegExp][] = [
    ["Query with a numeric timeout", { ...example("Query"), spec: { ...example("Query").spec, timeout: 30 } }, /\/spec\/timeout must be string/],
    ["Query with a malformed timeout", { ...example("Query"), spec: { ...example("Query").spec, timeout: "five minutes" } }, /\/spec\/timeout must match pattern/],
    ["Query without input", { ...example("Query"), spec: { targets: [] } }, /\/spec must have required property 'input'/],
    ["Model with an unknown type", { ...example("Model"), spec: { ...example("Model").spec, type: "watsonx" } }, /\/spec\/type must be equal to one of the allowed values/],
    ["Model without spec", { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Model", metadata: { name: "m" } } as Manifest, /must have required property 'spec'/],
    ["Tool with a non-http url", { ...example("Tool"), spec: { type: "http", http: { url: "ftp://x" } } }, /\/spec\/http\/url must match pattern/],
    ["Agent tool of an unknown type", { ...example("Agent"), spec: { tools: [{ type: "plugin", name: "x" }] } }, /\/spec\/tools\/0\/type must be equal to one of the allowed values/],
    ["Team member without a name", { ...example("Team"), spec: { strategy: "sequential", members: [{ type: "agent" }] } }, /\/spec\/members\/0 must have required property 'name'/],
  ];
  for (const [name, manifest, message] of wrong) {
    it(name, () => {
      expect(crdErrors(manifest).join("\n")).toMatch(message);
    });
  }
});
