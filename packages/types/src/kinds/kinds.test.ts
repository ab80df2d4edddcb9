import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PRESERVE_UNKNOWN_FIELDS } from "../shared/json-object.js";
import { GROUP } from "./definition.js";
import { arkKinds, findKind, findKindByPlural } from "./index.js";

// The CRD generator needs plain structural schemas: no unions, intersections, pipes or transforms.
const FORBIDDEN_DEF_TYPES = new Set(["union", "intersection", "pipe", "transform", "lazy", "promise", "custom"]);

function defTypes(schema: z.ZodType, seen = new Set<z.ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const children: z.ZodType[] = [];
  for (const key of ["innerType", "element", "valueType", "keyType"]) if (def[key]) children.push(def[key] as z.ZodType);
  if (def.shape) children.push(...Object.values(def.shape as Record<string, z.ZodType>));
  const checks = (def.checks as { _zod: { def: { check: string } } }[] | undefined) ?? [];
  const refinements = checks.filter((c) => c._zod.def.check === "custom").map(() => "refine");
  return [def.type, ...refinements, ...children.flatMap((c) => defTypes(c, seen))];
}

describe("arkKinds", () => {
  it("has the fourteen ARK kinds with unique plurals", () => {
    expect(arkKinds.map((k) => k.kind).sort()).toEqual(
      ["A2AServer", "A2ATask", "Agent", "Evaluation", "Evaluator", "ExecutionEngine", "MCPServer", "Memory", "Model", "Query", "ReferenceGrant", "Team", "Tool", "ToolApprovalRequest"].sort(),
    );
    expect(new Set(arkKinds.map((k) => k.plural)).size).toBe(14);
  });

  it.each(arkKinds.map((k) => [k.kind, k] as const))("%s follows the naming conventions", (kind, k) => {
    expect(k.group).toBe(GROUP);
    expect(k.listKind).toBe(`${kind}List`);
    expect(k.singular).toBe(kind.toLowerCase());
    expect(k.version).toBe(kind === "A2AServer" || kind === "ExecutionEngine" ? "v1prealpha1" : "v1alpha1");
    expect(k.printerColumns.at(-1)).toEqual({ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" });
  });

  it.each(arkKinds.map((k) => [k.kind, k] as const))("%s schemas are structural and convert to JSON Schema", (_kind, k) => {
    for (const schema of [k.spec, k.status]) {
      expect(defTypes(schema).filter((t) => FORBIDDEN_DEF_TYPES.has(t) || t === "refine")).toEqual([]);
      expect(() => z.toJSONSchema(schema, { io: "input" })).not.toThrow();
    }
  });

  it.each(arkKinds.map((k) => [k.kind, k] as const))("%s status has conditions and observedGeneration, all optional", (_kind, k) => {
    const shape = (k.status as unknown as z.ZodObject).shape;
    expect(shape).toHaveProperty("conditions");
    expect(shape).toHaveProperty("observedGeneration");
    expect(k.status.safeParse({}).success).toBe(true);
  });

  it("marks free-form objects for the CRD generator", () => {
    const tool = z.toJSONSchema(findKind("ark.mckinsey.com/v1alpha1", "Tool")!.spec, { io: "input" }) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(tool.properties.inputSchema?.[PRESERVE_UNKNOWN_FIELDS]).toBe(true);
  });

  it("uses the printer columns of upstream", () => {
    const columns = (kind: string) => arkKinds.find((k) => k.kind === kind)!.printerColumns.map((c) => `${c.name}=${c.jsonPath}`);
    expect(columns("Model")).toEqual(["Model=.spec.model.value", "Phase=.status.phase", "Type=.spec.type", "Provider=.spec.provider", "Age=.metadata.creationTimestamp"]);
    expect(columns("Query")).toEqual(["Phase=.status.phase", "Duration=.status.duration", "Evaluations=.status.evaluations.length", "Age=.metadata.creationTimestamp"]);
    expect(columns("MCPServer")).toEqual([
      "Ready=.status.conditions[?(@.type=='Ready')].status",
      "Discovering=.status.conditions[?(@.type=='Discovering')].status",
      "Tools=.status.toolCount",
      "Age=.metadata.creationTimestamp",
    ]);
    expect(columns("Evaluation")).toEqual(["Type=.spec.type", "Phase=.status.phase", "Score=.status.score", "Passed=.status.passed", "Age=.metadata.creationTimestamp"]);
    expect(columns("A2AServer")).toEqual([
      "Ready=.status.conditions[?(@.type=='Ready')].status",
      "Discovering=.status.conditions[?(@.type=='Discovering')].status",
      "Address=.status.lastResolvedAddress",
      "Endpoint=.status.lastResolvedEndpoint",
      "Age=.metadata.creationTimestamp",
    ]);
    expect(columns("Agent")).toEqual(["Age=.metadata.creationTimestamp"]);
  });
});

describe("lookups", () => {
  it("finds a kind by plural and by apiVersion + kind", () => {
    expect(findKindByPlural(GROUP, "v1alpha1", "queries")?.kind).toBe("Query");
    expect(findKindByPlural(GROUP, "v1prealpha1", "a2aservers")?.kind).toBe("A2AServer");
    expect(findKindByPlural(GROUP, "v1alpha1", "a2aservers")).toBeUndefined();
    expect(findKind("ark.mckinsey.com/v1alpha1", "MCPServer")?.plural).toBe("mcpservers");
    expect(findKind("ark.mckinsey.com/v1alpha1", "ExecutionEngine")).toBeUndefined();
    expect(findKind("v1", "Secret")).toBeUndefined();
  });
});
