import { describe, expect, it } from "vitest";
import { isEngineError } from "./errors.js";
import { renderTemplate, renderWithParameters } from "./prompt-template.js";

describe("renderTemplate", () => {
  it("substitutes fields, nested fields, and prints <no value> for missing keys", () => {
    const data = { name: "Ada", input: { city: "Oslo", days: 3 } };
    expect(renderTemplate("Hi {{.name}}, {{ .input.city }} for {{.input.days}} days; {{.missing}} {{.input.nope}}", data, "prompt")).toBe("Hi Ada, Oslo for 3 days; <no value> <no value>");
  });

  it("trims whitespace around {{- and -}} and drops comments", () => {
    expect(renderTemplate("a  \n {{- .x -}} \n  b {{/* note */}}c", { x: "X" }, "prompt")).toBe("aXb c");
  });

  it("supports if / else if / else, with, range and a few functions", () => {
    const tpl = '{{if .vip}}VIP{{else if eq .tier "gold"}}gold{{else}}basic{{end}}|{{range .list}}[{{.}}]{{else}}none{{end}}|{{with .user}}{{.name}}{{end}}|{{if not .off}}on{{end}}|{{len .list}}';
    expect(renderTemplate(tpl, { vip: false, tier: "gold", list: ["a", "b"], user: { name: "u" } }, "input")).toBe("gold|[a][b]|u|on|2");
    expect(renderTemplate(tpl, { vip: "yes", list: [] }, "input")).toBe("VIP|none||on|0");
  });

  it("reports syntax errors naming where", () => {
    for (const bad of ["Hello {{.name", "{{if .x}}open", "{{end}}", "{{frobnicate .x}}", "{{.a b}}"]) {
      let error: unknown;
      try {
        renderTemplate(bad, {}, "prompt");
      } catch (e) {
        error = e;
      }
      expect(isEngineError(error, "TEMPLATE_ERROR")).toBe(true);
      expect((error as Error).message).toMatch(/^invalid template syntax in prompt: /);
    }
    expect(() => renderTemplate("{{frobnicate .x}}", {}, "input")).toThrow('invalid template syntax in input: line 1: function "frobnicate" not defined');
  });

  it("fails execution on a field of a missing value", () => {
    expect(() => renderTemplate("{{.input.a.b}}", { input: {} }, "body")).toThrow("template execution failed in body: line 1: nil pointer evaluating interface {}.b");
  });
});

describe("renderWithParameters", () => {
  it("uses the text verbatim when there are no parameters", () => {
    expect(renderWithParameters("Literal {{.name}} and {{ broken", {}, "prompt")).toBe("Literal {{.name}} and {{ broken");
    expect(renderWithParameters("Hi {{.name}}", undefined, "prompt")).toBe("Hi {{.name}}");
    expect(renderWithParameters("Hi {{.name}}", { name: "Bo" }, "prompt")).toBe("Hi Bo");
  });
});
