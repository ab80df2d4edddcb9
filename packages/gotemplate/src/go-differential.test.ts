import { parse as goExecute } from "@evertdespiegeleer/go-template";
import { describe, expect, it } from "vitest";
import type { FunctionSet } from "./functions/function-set.js";
import { PROMPT_FUNCTIONS } from "./functions/prompt.js";
import { CHART_FUNCTIONS } from "./functions/sprig.js";
import { TemplateError } from "./template-error.js";
import { renderGoTemplate } from "./template-set.js";

// Real Go text/template (go1.25 compiled to WASM, no Sprig) on JSON data: numbers are float64 there too, as in Helm.
// It executes with missingkey=error, so ours runs with that option here; the default prints `<no value>` for a
// missing key exactly as for a nil one (`.none` below), which these cases compare.
const render = (template: string, data: unknown, functions: FunctionSet) => renderGoTemplate("tpl", template, data, { functions, missingKey: "error" });

/** Go's error as the WASM wrapper reports it: a parse error whole, an execution error after `executing "tpl" at <…>: `. */
function oursAsGoReports(error: unknown): string {
  if (!(error instanceof TemplateError)) throw error;
  return error.phase === "parse" ? `Template parse error: ${error.message}` : error.detail;
}

async function goError(template: string, data: unknown): Promise<string> {
  try {
    return `no error, output ${JSON.stringify(await goExecute(template, data))}`;
  } catch (error) {
    return (error as Error).message;
  }
}

function ourError(template: string, data: unknown, functions: FunctionSet): string {
  try {
    return `no error, output ${JSON.stringify(render(template, data, functions))}`;
  } catch (error) {
    return oursAsGoReports(error);
  }
}

describe("chart templates (Go builtins and Sprig) agree with Go's text/template", () => {
  const data = {
    héllo: "unicode",
    name: "ark",
    n: 2,
    big: 1000000,
    small: 0.00001,
    f: 1.5,
    t: true,
    empty: "",
    list: ["a", "b", 3],
    map: { b: 2, a: "x", c: [1, 2] },
    nested: { inner: { v: "deep" } },
    zero: 0,
    none: null,
    s: "héllo",
  };

  it.each([
    "{{ .name }} {{ .n }} {{ .big }} {{ .small }} {{ .f }} {{ .t }} {{ .list }} {{ .map }} {{ .nested }} {{ .none }}",
    "a  \n  {{- .name -}}  \n  b{{/* c */}}  {{- /* d */}} e",
    "{{ if .empty }}1{{ else if .zero }}2{{ else if .none }}3{{ else if .list }}4{{ end }}",
    "{{ with .nested.inner }}{{ .v }}{{ end }}{{ with .empty }}x{{ else }}y{{ end }}",
    "{{ range $i, $v := .list }}[{{ $i }}:{{ $v }}]{{ end }}{{ range $k, $v := .map }}<{{ $k }}={{ $v }}>{{ end }}",
    '{{ range .list }}{{ if eq (printf "%v" .) "b" }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ range .list }}{{ if eq (printf "%v" .) "a" }}{{ continue }}{{ end }}{{ . }}{{ end }}',
    "{{ $x := .name }}{{ range .list }}{{ $x = . }}{{ end }}{{ $x }} {{ $ }}",
    '{{ printf "%s-%d-%v-%q-%t" .name (len .list) .f .name .t }} {{ printf "%d %s" .n .n }} {{ printf "%s" }} {{ printf "x" .n }}',
    '{{ print 1 2 "a" 3 .n .n }} {{ print .none }} {{ println 1 "a" .none .list }}',
    "{{ and .t .name }} {{ and .zero .name }} {{ or .empty .zero .name }} {{ or .empty }} {{ not .list }}",
    '{{ eq .name "ark" "x" }} {{ ne .n 3.0 }} {{ lt .n 3.0 }} {{ le .name "b" }} {{ gt 3 2 }} {{ ge .f 1.5 }} {{ eq .none nil }}',
    '{{ index .list 1 }} {{ index .map "a" }} {{ index .map "c" 0 }} {{ index .map "zz" }} {{ len .map }} {{ len .name }} {{ len "é" }}',
    "{{ slice .name 1 }} {{ slice .name 1 2 }} {{ slice .list 1 }} {{ slice .list 0 2 }} {{ slice .list }}",
    '{{ html "<a href=\'x\'>&\\"</a>" }} {{ html 1 .name }} {{ js "<a=\'b\'>\\"\\\\&" }} {{ js "tab\\there é" }} {{ urlquery "a b&c/é~!*" }} {{ urlquery 1 2 }}',
    '{{ define "t" }}<{{ . }}>{{ end }}{{ template "t" .name }}{{ template "t" .n }}{{ block "b" .t }}[{{ . }}]{{ end }}',
    '{{ (index .map "c") }} {{ (.nested.inner).v }} {{ .nested.inner.v | printf "%s!" }} {{ 1e6 }} {{ 0x10 }} {{ -3 }}',
    "{{ +3 }} {{ .5 }} {{ 1_000 }} {{ 'a' }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1.0 }} {{ 2e3 }} {{ -0.0 }}",
    '{{ printf "%5d|%-5d|%05d|%x|%X|%o|%b|%c|%U|%+d|%.3d" 42 42 42 255 255 8 5 65 65 7 7 }}',
    '{{ printf "%f|%.2f|%e|%g|%8.3f|%-8.2f|%08.3f|%v|%v|%.3g|%G" .f .f .f .f .f .f .f 3.0 1e21 .small .big }}',
    '{{ printf "%10s|%-10s|%.2s|%q|%x|% x|%v|%+v|%#v|%#v|%#v" .name .name .name .s .name .name .list .map .name .list .map }}',
    '{{ printf "%v %v %d %s %q" .none .map (len .list) .list .list }} {{ printf "%t %v %T %T %T %T %T" true false .n 1 .list .map .none }}',
    '{{ printf "%" }} {{ printf "%z" 1 }} {{ printf "%d %d" 1 }} {{ printf "%d" .none }} {{ printf "%s" 1 2 .none }}',
    '{{ .s | len }} {{ slice .s 1 3 }} {{ index .s 1 }} {{ 3 | printf "%d-%d" 4 }}',
    "{{ range 3 }}{{ . }}{{ end }}{{ range $i := 2 }}{{ $i }}{{ end }}{{ range 0 }}x{{ else }}none{{ end }} {{ .héllo }} {{ html nil }} {{ html 1 nil }}",
    '{{ with .none }}a{{ else with .name }}{{ . }}{{ else }}c{{ end }} {{-3}} {{3 -}} {{ if\n.t }}y{{ end }} {{ "\\x41\\u00e9\\t" }} {{ `raw\nline` }}',
    '{{ define "x" }}{{ end }}{{ define "x" }}y{{ end }}{{ template "x" }}',
  ])("%s", async (template) => {
    expect(render(template, data, CHART_FUNCTIONS)).toBe(await goExecute(template, data));
  });

  it.each([
    "{{ eq .n 2 }}",
    "{{ .nested.missing.v }}",
    "{{ .none.v }}",
    "{{ index .list 5 }}",
    "{{ index .map 1 }}",
    "{{ index .n 1 }}",
    "{{ slice .list 2 1 }}",
    "{{ slice .n 1 }}",
    "{{ len .n }}",
    "{{ lt .t .t }}",
    "{{ lt .n 2 }}",
    "{{ nope }}",
    "{{ if .t }}x",
    "{{ .name.x }}",
    "{{ range .n }}{{ end }}",
    "{{ nil }}",
    '{{ template "nope" }}',
    "{{ range $i, $e, $z := .list }}{{ end }}",
    "{{ $a, $b := .list }}",
    "{{ range .list }}{{ break 1 }}{{ end }}",
    "{{ if 1 }}a{{ else }}b{{ else }}c{{ end }}",
    "x {{ /* c */ }} y",
    "x {{/* c */ }} y",
    "{{ eq .list .list }}",
    '{{ "x" 1 }}',
    "{{ $ 1 }}",
    "{{ . 1 }}",
    "{{ range $i, $e := 3 }}{{ end }}",
    "{{ if }}{{ end }}",
    "{{ if .t }}{{ else if }}{{ end }}",
    "{{ range }}{{ end }}",
    "{{ template .name }}",
    '{{ block "b" . }}x{{ end }}{{ define "b" }}y{{ end }}',
    "{{ .name ) }}",
    "{{ () }}",
    "{{ := 1 }}",
  ])("errs exactly as Go does: %s", async (template) => {
    expect(ourError(template, data, CHART_FUNCTIONS)).toBe(await goError(template, data));
  });
});

describe("prompt templates (the prompt functions) agree with Go's text/template", () => {
  // Parameters are strings; an HTTP tool's body gets the model's JSON arguments as `.input`.
  const data = { name: "Ada", tier: "gold", off: "", input: { city: "Oslo", days: 3, big: 1e6, f: 41.85, cities: ["Oslo", "Rome"], empty: [], none: null, flags: { vip: true } } };

  it.each([
    "Hi {{ .name }}, {{ .input.city }} for {{ .input.days }} days ({{ .input.big }}, {{ .input.f }}); {{ .input.none }} {{ .input.cities }} {{ .input.flags }}",
    "{{ . }} {{ .input }}",
    "{{ $who := .name }}{{ with .input }}{{ $who }} in {{ .city }}, {{ $.tier }}{{ end }} {{ $ }}",
    '{{ if eq .tier "gold" }}gold{{ else if .off }}off{{ else }}basic{{ end }}|{{ if and .name (not .off) }}on{{ end }}|{{ or .off .input.none "fallback" }}|{{ if ne .name "Bo" }}ne{{ end }}|{{ eq .tier "x" "gold" }}',
    "{{ range $i, $c := .input.cities }}{{ $i }}={{ $c }};{{ else }}none{{ end }}|{{ range .input.empty }}x{{ else }}empty{{ end }}|{{ range $k, $v := .input.flags }}{{ $k }}:{{ $v }}{{ end }}|{{ range .input.none }}x{{ end }}",
    "{{ with .input.none }}x{{ else }}no value{{ end }}|{{ with .input.flags }}{{ .vip }}{{ end }}|{{ with .off }}x{{ else }}empty{{ end }}",
    "{{ len .input.cities }} {{ len .name }} {{ len .input.flags }} {{ len .input }}",
    "Dear {{- /* trimmed */ -}}  \n {{ .name -}} \n  !",
    "{{ if not .input.empty }}no items{{ end }} {{ and .input.days .input.f }} {{ eq .input.none nil }} {{ ne .input.days 3.0 }}",
  ])("%s", async (template) => {
    expect(render(template, data, PROMPT_FUNCTIONS)).toBe(await goExecute(template, data));
  });

  it.each([
    "{{ .nope }}",
    "{{ .input.nope }}",
    "{{ .input.none.city }}",
    "{{ .name.first }}",
    "{{ eq .input.days 3 }}",
    "{{ ne .name .input.days }}",
    "{{ eq .name }}",
    "{{ len .input.days }}",
    "{{ not }}",
    "{{ not .a .b }}",
    "{{ range .name }}{{ end }}",
    "{{ frobnicate .name }}",
    "{{ if .name }}open",
    "{{ end }}",
    "{{ else }}",
    "Hello {{ .name",
    '{{ "abc }}',
    "{{ .name | }}",
    "{{ $x }}",
    "{{ .name .tier }}",
    "{{ | .name }}",
    '{{ .name | "x" }}',
    "{{ if .name }}{{ $y := 1 }}{{ end }}{{ $y }}",
    '{{ define "d" }}{{ $who }}{{ end }}{{ $who := 1 }}',
  ])("errs exactly as Go does: %s", async (template) => {
    expect(ourError(template, data, PROMPT_FUNCTIONS)).toBe(await goError(template, data));
  });
});
