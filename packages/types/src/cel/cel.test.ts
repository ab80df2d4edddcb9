import { describe, expect, it } from "vitest";
import { EVENT_RULE_VARIABLES } from "../contracts/evaluator.js";
import { formatFieldError } from "../kinds/definition.js";
import { validateArkResource } from "../validate.js";
import { CelError, celCompileError, compileCel } from "./cel.js";

const events = [
  { type: "tool.call.started", tool: "get_weather", arguments: { city: "Chicago" } },
  { type: "tool.call.completed", tool: "get_weather", result: "sunny", isError: false },
];

describe("CEL", () => {
  it("evaluates rules over events, the query and the response", () => {
    const context = { events, query: { metadata: { name: "q1" } }, response: { content: "Sunny in Chicago" } };
    expect(compileCel('events.exists(e, e.type == "tool.call.started" && e.tool == "get_weather")', EVENT_RULE_VARIABLES).evaluate(context)).toBe(true);
    expect(compileCel('events.filter(e, e.type == "tool.call.started").size()', EVENT_RULE_VARIABLES).evaluate(context)).toBe(1);
    expect(compileCel('events[0].arguments.city == "Chicago" && response.content.contains("Sunny")', EVENT_RULE_VARIABLES).evaluate(context)).toBe(true);
    expect(compileCel('query.metadata.name == "q2"', EVENT_RULE_VARIABLES).evaluate(context)).toBe(false);
  });

  it("says why an expression does not compile: syntax, unknown variable, type mismatch", () => {
    expect(celCompileError("events.exists(e, e.type ==", EVENT_RULE_VARIABLES)).toMatch(/Unexpected token/);
    expect(celCompileError("tools.size() > 0", EVENT_RULE_VARIABLES)).toMatch(/Unknown variable: tools/);
    expect(celCompileError('1 + "a"', EVENT_RULE_VARIABLES)).toMatch(/no such overload/);
    expect(celCompileError("  ", EVENT_RULE_VARIABLES)).toBe("expression is empty");
    expect(() => compileCel("size(", EVENT_RULE_VARIABLES)).toThrow(CelError);
  });

  it("turns a runtime failure into a CelError", () => {
    const program = compileCel("response.missing.field", EVENT_RULE_VARIABLES);
    expect(() => program.evaluate({ events: [], query: {}, response: { content: "" } })).toThrow(CelError);
  });
});

describe("Evaluation admission", () => {
  const evaluation = (expression: string) => ({
    apiVersion: "ark.mckinsey.com/v1alpha1",
    kind: "Evaluation",
    metadata: { name: "e1", namespace: "default" },
    spec: {
      type: "event",
      evaluator: { name: "evaluator-llm" },
      config: {
        queryRef: { name: "q1" },
        rules: [
          { name: "uses-tool", expression: 'events.exists(e, e.type == "tool.call.started")' },
          { name: "broken", expression },
        ],
      },
    },
  });

  it("rejects a rule whose CEL does not compile, naming the rule and the CEL error at its field", () => {
    const result = validateArkResource(evaluation("events.exists(e, e.tool =="), { operation: "create" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatFieldError)).toEqual([expect.stringMatching(/^spec\.config\.rules\[1\]\.expression: Invalid value: .*rule "broken": CEL does not compile: Unexpected token/)]);
  });

  it("admits rules that compile", () => {
    expect(validateArkResource(evaluation('response.content.contains("ok")'), { operation: "create" }).ok).toBe(true);
  });
});
