import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import type { KindDefinition } from "../kinds/definition.js";
import { openAPIV3SchemaFor, toCustomResourceDefinition } from "./crd.js";
import { crdToYaml, GENERATED_HEADER } from "./crd-yaml.js";
import { crdProblems } from "./crd-validation.js";

const widget: KindDefinition = {
  group: "ark.mckinsey.com",
  version: "v1alpha1",
  kind: "Widget",
  listKind: "WidgetList",
  plural: "widgets",
  singular: "widget",
  shortNames: ["wd"],
  spec: z.object({
    size: z.int().min(1).default(1),
    colour: z.enum(["red", "blue"]).describe("Paint colour."),
    extra: z.record(z.string(), z.unknown()).meta({ "x-kubernetes-preserve-unknown-fields": true }).optional(),
  }),
  status: z.object({ phase: z.string().optional() }),
  printerColumns: [
    { jsonPath: ".status.phase", name: "Phase", type: "string" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
  admit: () => [],
};

describe("toCustomResourceDefinition", () => {
  const crd = toCustomResourceDefinition(widget);

  it("names, scopes and versions the CRD", () => {
    expect(crd.metadata.name).toBe("widgets.ark.mckinsey.com");
    expect(crd.spec).toMatchObject({
      group: "ark.mckinsey.com",
      scope: "Namespaced",
      names: { kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widget", shortNames: ["wd"] },
    });
    expect(crd.spec.versions).toHaveLength(1);
    expect(crd.spec.versions[0]).toMatchObject({ name: "v1alpha1", served: true, storage: true, subresources: { status: {} } });
  });

  it("copies printer columns in a fixed key order", () => {
    expect(crd.spec.versions[0]?.additionalPrinterColumns?.map((c) => Object.keys(c))).toEqual([
      ["name", "type", "jsonPath"],
      ["name", "type", "jsonPath"],
    ]);
  });

  it("omits shortNames and printer columns when the kind has none", () => {
    const bare = toCustomResourceDefinition({ ...widget, shortNames: undefined, printerColumns: [] });
    expect(bare.spec.names).not.toHaveProperty("shortNames");
    expect(bare.spec.versions[0]).not.toHaveProperty("additionalPrinterColumns");
  });

  it("wraps spec and status in the object schema, requiring spec", () => {
    const schema = openAPIV3SchemaFor(widget);
    expect(schema).toMatchObject({
      type: "object",
      properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } },
      required: ["spec"],
    });
    expect(schema.properties?.spec?.required).toEqual(["colour"]);
    expect(schema.properties?.status).toEqual({ type: "object", properties: { phase: { type: "string" } } });
    expect(crd.spec.versions[0]?.schema.openAPIV3Schema).toEqual(schema);
  });

  it("is a valid apiextensions.k8s.io/v1 CustomResourceDefinition with a structural schema", () => {
    expect(crdProblems(crd)).toEqual([]);
  });

  it("the validity check catches a CRD the API server would reject", () => {
    const broken = structuredClone(crd) as Omit<typeof crd, "spec"> & { spec: Partial<typeof crd.spec> };
    delete broken.spec.scope;
    expect(crdProblems(broken as typeof crd).join("\n")).toMatch(/^widgets\.ark\.mckinsey\.com: apiextensions\.k8s\.io\/v1: .*scope/);
    const untyped = structuredClone(crd);
    untyped.spec.versions[0]!.schema.openAPIV3Schema.properties!.spec!.properties!.size = {};
    expect(crdProblems(untyped)).toContain("widgets.ark.mckinsey.com: v1alpha1 spec.size: has no type");
  });
});

describe("crdToYaml", () => {
  const text = crdToYaml(toCustomResourceDefinition(widget));

  it("starts with the generated header and parses back to the CRD", () => {
    expect(text.startsWith(`${GENERATED_HEADER}\n---\n`)).toBe(true);
    expect(parse(text)).toEqual(toCustomResourceDefinition(widget));
  });

  it("is deterministic and has no anchors or folded lines", () => {
    expect(crdToYaml(toCustomResourceDefinition(widget))).toBe(text);
    expect(text).not.toMatch(/[&*]a\d|^\s*>-?$/m);
  });
});
