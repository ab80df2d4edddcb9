import { describe, expect, it } from "vitest";
import { crdSchemaViolations } from "./structural-rules.js";
import type { StructuralSchema } from "./structural-schema-types.js";

const root = (spec: unknown): StructuralSchema => ({ type: "object", properties: { metadata: { type: "object" }, spec } }) as StructuralSchema;

describe("crdSchemaViolations", () => {
  it("accepts a structural schema", () => {
    const spec = {
      type: "object",
      properties: {
        free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        any: { "x-kubernetes-preserve-unknown-fields": true },
        method: { type: "string", enum: ["GET", "POST"], default: "GET" },
        nested: { type: "object", properties: { a: { type: "string", default: "x" } }, default: {} },
        n: { type: "integer", minimum: 0, exclusiveMinimum: true, default: 3 },
      },
    };
    expect(crdSchemaViolations(root(spec))).toEqual([]);
  });

  const broken: [string, unknown, RegExp][] = [
    ["untyped node", { type: "object", properties: { a: { description: "x" } } }, /spec\.a: has no type/],
    ["$ref", { type: "object", properties: { a: { $ref: "#/definitions/A" } } }, /spec\.a: \$ref is not allowed/],
    ["anyOf", { type: "object", properties: { a: { type: "string", anyOf: [{ type: "string" }] } } }, /spec\.a: anyOf is not allowed/],
    ["properties with additionalProperties", { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } }, /together/],
    ["additionalProperties: false", { type: "object", additionalProperties: false }, /must be a schema/],
    ["numeric exclusiveMinimum", { type: "object", properties: { a: { type: "number", exclusiveMinimum: 0 } } }, /exclusiveMinimum must be a boolean/],
    ["unknown format", { type: "object", properties: { a: { type: "string", format: "nanoid" } } }, /format nanoid/],
    ["lookahead pattern", { type: "object", properties: { a: { type: "string", pattern: "^(?!x)" } } }, /lookaround/],
    ["required default", { type: "object", properties: { a: { type: "string", default: "x" } }, required: ["a"] }, /a is required and has a default/],
    ["default of wrong type", { type: "object", properties: { a: { type: "integer", default: "3" } } }, /spec\.a: default "3" is invalid/],
    ["default outside enum", { type: "object", properties: { a: { type: "string", enum: ["x"], default: "y" } } }, /default "y" is invalid/],
    ["default missing a required child", { type: "object", properties: { o: { type: "object", properties: { k: { type: "string" } }, required: ["k"], default: {} } } }, /spec\.o: default/],
    ["array without items", { type: "object", properties: { a: { type: "array" } } }, /array without a single items schema/],
    ["preserve false", { type: "object", "x-kubernetes-preserve-unknown-fields": false }, /must be true or absent/],
    ["enum of the wrong type", { type: "object", properties: { a: { type: "string", enum: [1] } } }, /enum value 1/],
  ];
  for (const [name, spec, message] of broken) {
    it(`reports ${name}`, () => {
      expect(crdSchemaViolations(root(spec)).join("\n")).toMatch(message);
    });
  }

  it("reports a metadata schema other than {type: object}", () => {
    const schema = { type: "object", properties: { metadata: { type: "object", properties: { name: { type: "string" } } } } } as StructuralSchema;
    expect(crdSchemaViolations(schema)).toContain("metadata: must be exactly {type: object}");
  });
});
