import { describe, expect, it } from "vitest";
import { CHART_FUNCTIONS } from "./functions/sprig.js";
import { PROMPT_FUNCTIONS } from "./functions/prompt.js";
import { renderGoTemplate } from "./template-set.js";

/** As Helm renders: the chart functions, a missing value printed as nothing. */
function render(text: string, data: unknown = {}): string {
  return renderGoTemplate("t", text, data, { functions: CHART_FUNCTIONS }).replaceAll("<no value>", "");
}

describe("the Go text/template subset", () => {
  it("trims around {{- and -}} and drops comments", () => {
    expect(render("a  \n  {{- 1 -}}  \n b {{/* note */}}c {{- /* x */ -}} d")).toBe("a1b cd");
  });

  it("runs if / else if / else, with, and range over lists and (sorted) maps with variables", () => {
    const t = `{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}|{{ with .m }}{{ .x }}{{ else }}none{{ end }}|{{ range $i, $v := .l }}{{ $i }}={{ $v }},{{ end }}|{{ range $k, $v := .m }}{{ $k }}:{{ $v }};{{ end }}|{{ range .e }}x{{ else }}empty{{ end }}`;
    expect(render(t, { a: false, b: "yes", m: { y: 2, x: 1 }, l: ["p", "q"], e: [] })).toBe("B|1|0=p,1=q,|x:1;y:2;|empty");
  });

  it("scopes variables to their block and re-assigns with =", () => {
    expect(render(`{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}`)).toBe("2");
    expect(() => render(`{{ if true }}{{ $y := 3 }}{{ end }}{{ $y }}`)).toThrow(/undefined variable "\$y"/);
  });

  it("includes defines with nindent, and pipes into the last argument", () => {
    const t = `{{- define "labels" -}}\na: {{ .a | quote }}\nb: {{ default "dflt" .b }}\n{{- end -}}\nmetadata:\n  labels:\n    {{- include "labels" (dict "a" 1) | nindent 4 }}`;
    expect(render(t)).toBe(`metadata:\n  labels:\n    a: "1"\n    b: dflt`);
  });

  it("prints YAML numbers as Go float64s: 1e+06, and %d refuses them", () => {
    expect(render(`{{ .n }} {{ .big }} {{ printf "%d" .n }} {{ printf "%d" (len .l) }}`, { n: 2, big: 1000000, l: [1] })).toBe("2 1e+06 %!d(float64=2) 1");
  });

  it("toYaml sorts keys and drops the final newline", () => {
    expect(render(`{{ toYaml .v }}`, { v: { b: [1, "x"], a: { c: true } } })).toBe("a:\n  c: true\nb:\n  - 1\n  - x");
  });

  it("fails like Go: nil map chains, unknown functions, bad comparisons, required, fail", () => {
    expect(() => render(`{{ .a.b }}`, { a: {} })).not.toThrow();
    expect(() => render(`{{ .a.b.c }}`, { a: {} })).toThrow(/nil pointer evaluating interface \{\}\.c/);
    expect(render(`{{ (.a.b).c }}`, { a: {} })).toBe("");
    expect(() => render(`{{ nope 1 }}`)).toThrow(/function "nope" not defined/);
    expect(() => render(`{{ eq .n 1 }}`, { n: 1 })).toThrow(/incompatible types for comparison/);
    expect(() => render(`{{ required "x is required" .x }}`)).toThrow(/x is required/);
    expect(() => render(`{{ fail "stop" }}`)).toThrow(/stop/);
    expect(() => render(`{{ include "missing" . }}`)).toThrow(/no template "missing"/);
    // Go's limit on wasm, where its differential test runs; a deeper stack would overflow JavaScript's.
    expect(() => render(`{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}`)).toThrow("exceeded maximum template depth (1000)");
    expect(() => render(`{{ quote }}{{ indent 2 }}`)).toThrow(/wrong number of args for indent/);
  });

  it("rejects malformed templates at parse time", () => {
    expect(() => render(`{{ if .a }}x`)).toThrow("template: t:1: unexpected EOF");
    expect(() => render(`{{ end }}`)).toThrow(/unexpected \{\{end\}\}/);
    expect(() => render(`{{ .a `)).toThrow(/unclosed action/);
    expect(() => render(`{{ "abc }}`)).toThrow(/unterminated quoted string/);
    expect(() => render(`{{ | .a }}`)).toThrow(`unexpected "|" in command`);
    expect(() => render(`{{ .a | "x" }}`)).toThrow(/non executable command in pipeline stage 2/);
    expect(() => render(`{{ break }}`)).toThrow(/outside \{\{range\}\}/);
  });

  it("and/or stop at the deciding argument", () => {
    expect(render(`{{ if and .a .a.b }}y{{ else }}n{{ end }}{{ or .x "dflt" }}`, { a: null })).toBe("ndflt");
  });

  it("prints a missing value as <no value>, or fails on it with missingkey=error", () => {
    expect(renderGoTemplate("t", "[{{ .missing }}]", {}, { functions: CHART_FUNCTIONS })).toBe("[<no value>]");
    expect(() => renderGoTemplate("t", "[{{ .missing }}]", {}, { functions: CHART_FUNCTIONS, missingKey: "error" })).toThrow('template: t:1: map has no entry for key "missing"');
  });
});

describe("function sets", () => {
  it("a template may call only the functions of its set, checked at parse time", () => {
    expect(renderGoTemplate("p", '{{ if and (eq .a "x") (not .b) }}{{ len .a }}{{ end }}', { a: "x" }, { functions: PROMPT_FUNCTIONS })).toBe("1");
    expect(() => renderGoTemplate("p", '{{ if false }}{{ printf "%d" 1 }}{{ end }}', {}, { functions: PROMPT_FUNCTIONS })).toThrow('template: p:1: function "printf" not defined');
    expect(() => renderGoTemplate("p", "{{ toYaml . }}", {}, { functions: PROMPT_FUNCTIONS })).toThrow(/function "toYaml" not defined/);
  });

  it("a printer decides how each action's value is written, seeing the output before it", () => {
    const seen: string[] = [];
    const text = renderGoTemplate(
      "p",
      "a{{ .x }}b{{ .missing }}",
      { x: 1 },
      {
        functions: PROMPT_FUNCTIONS,
        printer: (value, formatted, before) => {
          seen.push(`${typeof value}:${formatted}:${before}`);
          return `<${formatted}>`;
        },
      },
    );
    expect(text).toBe("a<1>b<<no value>>");
    expect(seen).toEqual(["number:1:a", "string:<no value>:a<1>b"]);
  });
});
