import { describe, expect, it } from "vitest";
import { formatFieldError } from "../kinds/definition.js";
import { validateArkResource } from "../validate.js";
import { fieldErrorsToStatusCauses } from "./status-causes.js";

describe("fieldErrorsToStatusCauses", () => {
  it("maps each error type to its Kubernetes cause reason, message without the field", () => {
    const causes = fieldErrorsToStatusCauses([
      { field: "spec.input", type: "Required value", detail: "" },
      { field: "spec.tools[1].type", type: "Unsupported value", value: "x", detail: 'supported values: "built-in", "custom", "mcp", "http", "agent", "team", "builtin"' },
      { field: "metadata.name", type: "Invalid value", value: "Foo_1", detail: "bad" },
      { field: "spec.members[1].name", type: "Duplicate value", value: "a", detail: "twice" },
      { field: "spec.target", type: "Forbidden", detail: "no" },
      { field: "spec.x", type: "Too long", value: "xxxx", detail: "may not be more than 3 chars long" },
      { field: "spec.foo", type: "Field not declared in schema", detail: "" },
    ]);
    expect(causes).toEqual([
      { reason: "FieldValueRequired", message: "Required value", field: "spec.input" },
      { reason: "FieldValueNotSupported", message: 'Unsupported value: "x": supported values: "built-in", "custom", "mcp", "http", "agent", "team", "builtin"', field: "spec.tools[1].type" },
      { reason: "FieldValueInvalid", message: 'Invalid value: "Foo_1": bad', field: "metadata.name" },
      { reason: "FieldValueDuplicate", message: 'Duplicate value: "a": twice', field: "spec.members[1].name" },
      { reason: "FieldValueForbidden", message: "Forbidden: no", field: "spec.target" },
      { reason: "FieldValueTooLong", message: "Too long: may not be more than 3 chars long", field: "spec.x" },
      { reason: "FieldValueUnknown", message: "Field not declared in schema", field: "spec.foo" },
    ]);
  });

  it("formats errors as kubectl prints them", () => {
    const result = validateArkResource({
      apiVersion: "ark.mckinsey.com/v1alpha1",
      kind: "Agent",
      metadata: { name: "a" },
      spec: { tools: [{ type: "built-in", name: "noop" }, { type: "x" }] },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map(formatFieldError)).toEqual(['spec.tools[1].type: Unsupported value: "x": supported values: "built-in", "custom", "mcp", "http", "agent", "team", "builtin"']);
  });
});
