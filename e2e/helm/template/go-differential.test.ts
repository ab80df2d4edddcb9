import { parse as goExecute } from "@evertdespiegeleer/go-template";
import { describe, expect, it } from "vitest";
import { TemplateSet } from "./template-set.js";

// Real Go text/template (compiled to WASM, no Sprig) on JSON data: numbers are float64 there too, as in Helm.
const data = { name: "ark", n: 2, big: 1000000, small: 0.00001, f: 1.5, t: true, empty: "", list: ["a", "b", 3], map: { b: 2, a: "x", c: [1, 2] }, nested: { inner: { v: "deep" } }, zero: 0, none: null };

const CASES = [
  "{{ .name }} {{ .n }} {{ .big }} {{ .small }} {{ .f }} {{ .t }} {{ .list }} {{ .map }} {{ .nested }}",
  "a  \n  {{- .name -}}  \n  b{{/* c */}}  {{- /* d */}} e",
  "{{ if .empty }}1{{ else if .zero }}2{{ else if .none }}3{{ else if .list }}4{{ end }}",
  "{{ with .nested.inner }}{{ .v }}{{ end }}{{ with .empty }}x{{ else }}y{{ end }}",
  "{{ range $i, $v := .list }}[{{ $i }}:{{ $v }}]{{ end }}{{ range $k, $v := .map }}<{{ $k }}={{ $v }}>{{ end }}",
  "{{ range .list }}{{ if eq (printf \"%v\" .) \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ range .list }}{{ if eq (printf \"%v\" .) \"a\" }}{{ continue }}{{ end }}{{ . }}{{ end }}",
  "{{ $x := .name }}{{ range .list }}{{ $x = . }}{{ end }}{{ $x }} {{ $ }}",
  '{{ printf "%s-%d-%v-%q-%t" .name (len .list) .f .name .t }} {{ printf "%d %s" .n .n }} {{ printf "%s" }} {{ printf "x" .n }}',
  "{{ print 1 2 \"a\" 3 .n .n }} {{ print .none }}",
  "{{ and .t .name }} {{ and .zero .name }} {{ or .empty .zero .name }} {{ or .empty }} {{ not .list }}",
  "{{ eq .name \"ark\" \"x\" }} {{ ne .n 3.0 }} {{ lt .n 3.0 }} {{ le .name \"b\" }} {{ gt 3 2 }} {{ ge .f 1.5 }}",
  "{{ index .list 1 }} {{ index .map \"a\" }} {{ index .map \"c\" 0 }} {{ len .map }} {{ len .name }}",
  '{{ define "t" }}<{{ . }}>{{ end }}{{ template "t" .name }}{{ template "t" .n }}{{ block "b" .t }}[{{ . }}]{{ end }}',
  "{{ (index .map \"c\") }} {{ (.nested.inner).v }} {{ .nested.inner.v | printf \"%s!\" }} {{ 1e6 }} {{ 0x10 }} {{ -3 }}",
];

describe("agrees with Go's text/template", () => {
  it.each(CASES)("%s", async (template) => {
    const set = new TemplateSet();
    set.add("t", template);
    expect(set.execute("t", data)).toBe(await goExecute(template, data));
  });

  it.each(["{{ eq .n 2 }}", "{{ .nested.missing.v }}", "{{ index .list 5 }}", "{{ len .n }}", "{{ nope }}", "{{ if .t }}x"])("fails where Go fails: %s", async (template) => {
    await expect(goExecute(template, data)).rejects.toThrow();
    expect(() => {
      const set = new TemplateSet();
      set.add("t", template);
      set.execute("t", data);
    }).toThrow();
  });
});
