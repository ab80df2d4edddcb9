import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonSchemaToStructural, toStructuralSchema } from "./structural-schema.js";
import { StructuralSchemaError } from "./structural-schema-types.js";

const preserve = { "x-kubernetes-preserve-unknown-fields": true } as const;

describe("toStructuralSchema", () => {
  it("converts nested objects, keeping required only for fields without ? or default", () => {
    const schema = z.object({
      name: z.string().min(1).describe("The name."),
      nested: z.object({ inner: z.boolean(), note: z.string().optional() }),
      maybe: z.object({ x: z.string() }).optional(),
    });
    expect(toStructuralSchema(schema)).toEqual({
      type: "object",
      properties: {
        maybe: { type: "object", properties: { x: { type: "string" } }, required: ["x"] },
        name: { description: "The name.", type: "string", minLength: 1 },
        nested: {
          type: "object",
          properties: { inner: { type: "boolean" }, note: { type: "string" } },
          required: ["inner"],
        },
      },
      required: ["name", "nested"],
    });
  });

  it("converts arrays of objects with their bounds", () => {
    const schema = z.object({
      edges: z
        .array(z.object({ from: z.string(), to: z.string() }))
        .min(1)
        .max(5),
    });
    expect(toStructuralSchema(schema).properties?.edges).toEqual({
      type: "array",
      minItems: 1,
      maxItems: 5,
      items: { type: "object", properties: { from: { type: "string" }, to: { type: "string" } }, required: ["from", "to"] },
    });
  });

  it("turns records into additionalProperties", () => {
    const schema = z.object({
      labels: z.record(z.string(), z.string()),
      sources: z.record(z.string(), z.object({ value: z.string().optional() })).optional(),
    });
    const out = toStructuralSchema(schema);
    expect(out.properties?.labels).toEqual({ type: "object", additionalProperties: { type: "string" } });
    expect(out.properties?.sources).toEqual({
      type: "object",
      additionalProperties: { type: "object", properties: { value: { type: "string" } } },
    });
  });

  it("turns free-form objects into {type: object, x-kubernetes-preserve-unknown-fields: true}", () => {
    const schema = z.object({
      record: z.record(z.string(), z.unknown()).meta(preserve).describe("Any JSON object."),
      empty: z.object({}).meta(preserve).optional(),
      loose: z.looseObject({ kind: z.string() }).optional(),
    });
    const out = toStructuralSchema(schema);
    expect(out.properties?.record).toEqual({ description: "Any JSON object.", type: "object", ...preserve });
    expect(out.properties?.empty).toEqual({ type: "object", ...preserve });
    expect(out.properties?.loose).toEqual({
      type: "object",
      properties: { kind: { type: "string" } },
      required: ["kind"],
      ...preserve,
    });
  });

  it("keeps any-valued fields as untyped preserve-unknown nodes", () => {
    const out = toStructuralSchema(z.object({ anything: z.unknown(), list: z.array(z.any()) }));
    expect(out.properties?.anything).toEqual(preserve);
    expect(out.properties?.list).toEqual({ type: "array", items: preserve });
    expect(out.required).toEqual(["anything", "list"]);
  });

  it("keeps enums, literals and their defaults, and never requires a defaulted field", () => {
    const schema = z.object({
      type: z.enum(["openai", "azure", "bedrock"]),
      method: z.enum(["GET", "POST"]).default("GET"),
      transport: z.literal("http").optional(),
      flag: z.boolean().default(false),
      selector: z.object({ apiGroup: z.string().default("ark.mckinsey.com") }).default({ apiGroup: "ark.mckinsey.com" }),
    });
    const out = toStructuralSchema(schema);
    expect(out.properties?.type).toEqual({ type: "string", enum: ["openai", "azure", "bedrock"] });
    expect(out.properties?.method).toEqual({ type: "string", enum: ["GET", "POST"], default: "GET" });
    expect(out.properties?.transport).toEqual({ type: "string", enum: ["http"] });
    expect(out.properties?.flag).toEqual({ type: "boolean", default: false });
    expect(out.properties?.selector).toMatchObject({ type: "object", default: { apiGroup: "ark.mckinsey.com" } });
    expect(out.required).toEqual(["type"]);
  });

  it("drops a default field from required even when the JSON Schema lists it", () => {
    const out = jsonSchemaToStructural({
      type: "object",
      properties: { a: { type: "string", default: "x" }, b: { type: "string" } },
      required: ["a", "b"],
    });
    expect(out.required).toEqual(["b"]);
  });

  it("keeps patterns and string lengths", () => {
    const schema = z.object({
      url: z
        .string()
        .min(1)
        .max(2048)
        .regex(/^https?:\/\/.*/),
    });
    expect(toStructuralSchema(schema).properties?.url).toEqual({
      type: "string",
      pattern: "^https?:\\/\\/.*",
      minLength: 1,
      maxLength: 2048,
    });
  });

  it("converts integers with bounds, dropping z.int()'s safe-integer limits and marking z.int32() as format int32", () => {
    const schema = z.object({
      maxTokens: z.int().min(1).max(100000).optional(),
      count: z.int(),
      positive: z.int().positive(),
      weight: z.int32().min(0),
      ratio: z.number().gt(0).lte(1),
    });
    const props = toStructuralSchema(schema).properties;
    expect(props?.maxTokens).toEqual({ type: "integer", minimum: 1, maximum: 100000 });
    expect(props?.count).toEqual({ type: "integer" });
    expect(props?.positive).toEqual({ type: "integer", minimum: 0, exclusiveMinimum: true });
    expect(props?.weight).toEqual({ type: "integer", format: "int32", minimum: 0, maximum: 2147483647 });
    expect(z.toJSONSchema(z.int32()).minimum).toBe(-2147483648);
    expect(toStructuralSchema(z.int32())).toEqual({ type: "integer", format: "int32", minimum: -2147483648, maximum: 2147483647 });
    expect(props?.ratio).toEqual({ type: "number", minimum: 0, exclusiveMinimum: true, maximum: 1 });
  });

  it("reads draft 2020-12 numeric exclusive bounds too", () => {
    expect(jsonSchemaToStructural({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 })).toEqual({
      type: "number",
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      exclusiveMaximum: true,
    });
  });

  it("keeps descriptions from .describe() and the use site's over the shared schema's", () => {
    const Shared = z.object({ value: z.string().optional() }).describe("Shared.");
    const out = toStructuralSchema(z.object({ a: Shared, b: Shared.optional().describe("Use site.") }));
    expect(out.properties?.a?.description).toBe("Shared.");
    expect(out.properties?.b?.description).toBe("Use site.");
  });

  it("inlines schemas registered with an id instead of emitting $ref", () => {
    const Ref = z.object({ name: z.string() }).meta({ id: "CrdTestRef", description: "A reference." });
    const out = toStructuralSchema(z.object({ one: Ref, many: z.array(Ref).optional(), map: z.record(z.string(), Ref).optional() }));
    const expected = { description: "A reference.", type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    expect(out.properties?.one).toEqual(expected);
    expect(out.properties?.many?.items).toEqual(expected);
    expect(out.properties?.map?.additionalProperties).toEqual(expected);
    expect(JSON.stringify(out)).not.toMatch(/\$ref|definitions|\$defs|allOf/);
  });

  it("drops additionalProperties: false from strict objects", () => {
    expect(toStructuralSchema(z.strictObject({ a: z.string() }))).toEqual({
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
    });
  });

  it("keeps formats Kubernetes knows, maps base64 to byte and drops the rest", () => {
    const props = toStructuralSchema(z.object({ at: z.iso.datetime(), data: z.base64(), url: z.url(), id: z.uuid(), day: z.iso.date(), nano: z.nanoid() })).properties;
    expect(props?.at).toMatchObject({ type: "string", format: "date-time" });
    expect(props?.data).toMatchObject({ type: "string", format: "byte" });
    expect(props?.url).toEqual({ type: "string", format: "uri" });
    expect(props?.id).toMatchObject({ type: "string", format: "uuid" });
    expect(props?.day).toMatchObject({ type: "string", format: "date" });
    expect(props?.nano?.format).toBeUndefined();
  });

  it("keeps nullable on a typed node", () => {
    expect(toStructuralSchema(z.object({ a: z.string().nullable() })).properties?.a).toEqual({ type: "string", nullable: true });
  });

  it("marks the root as an object even for an empty status", () => {
    expect(toStructuralSchema(z.object({}))).toEqual({ type: "object" });
  });

  it("folds an intersection of objects into one object", () => {
    const out = toStructuralSchema(z.object({ a: z.intersection(z.object({ x: z.string() }), z.object({ y: z.string() })) }));
    expect(out.properties?.a).toEqual({ type: "object", properties: { x: { type: "string" }, y: { type: "string" } }, required: ["x", "y"] });
  });

  it("rejects allOf with several members and JSON Schema keywords Kubernetes lacks", () => {
    expect(() => jsonSchemaToStructural({ type: "object", properties: { a: { allOf: [{ type: "string" }, { minLength: 1 }] } } })).toThrow(/^a: allOf/);
    expect(() => jsonSchemaToStructural({ type: "object", properties: { a: { type: "string", const: "x", if: {} } } })).toThrow(/^a: conditional/);
    expect(() => jsonSchemaToStructural({ type: "object", propertyNames: { pattern: "^x" } })).toThrow(/^<root>: constrained record keys/);
    expect(() => jsonSchemaToStructural({ type: ["string", "null"] })).toThrow(/one type/);
    expect(() => jsonSchemaToStructural({ type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } })).toThrow(/both declared properties/);
  });

  it("turns const into a one-value enum", () => {
    expect(jsonSchemaToStructural({ type: "string", const: "x" })).toEqual({ type: "string", enum: ["x"] });
  });

  describe("rejects what a structural schema cannot express, naming the field", () => {
    const cases: [string, z.ZodType, RegExp][] = [
      ["union", z.object({ a: z.union([z.string(), z.int()]) }), /^a: a union/],
      ["discriminated union", z.object({ a: z.discriminatedUnion("k", [z.object({ k: z.literal("x") }), z.object({ k: z.literal("y") })]) }), /^a: a union/],
      ["tuple", z.object({ a: z.tuple([z.string(), z.int()]) }), /^a\[\]: a union/],
      ["recursion", recursive(), /recursion/],
      ["lookahead pattern", z.object({ a: z.string().regex(/^(?!x).*$/) }), /^a: pattern .* lookaround/],
      ["nested field path", z.object({ a: z.array(z.object({ b: z.union([z.string(), z.boolean()]) })) }), /^a\[\]\.b: a union/],
    ];
    for (const [name, schema, message] of cases) {
      it(name, () => {
        const attempt = (): unknown => toStructuralSchema(schema);
        expect(attempt).toThrow(message);
        expect(attempt).toThrow(StructuralSchemaError);
      });
    }
  });
});

function recursive(): z.ZodType {
  const Node: z.ZodType = z.object({
    name: z.string(),
    get children() {
      return z.array(Node).optional();
    },
  });
  return Node;
}
