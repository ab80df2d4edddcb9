import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCrdChart } from "../ark-charts.js";
import { CRD_CHART_TEMPLATES, CRD_DIR, KEEP_ANNOTATION, expectedCrdChartTemplates } from "./crd-chart-files.js";

describe("charts/ark-crds", () => {
  it("holds crds/ exactly (run `pnpm --filter @ark/e2e sync:crd-chart` after `pnpm gen:crds`)", () => {
    const expected = expectedCrdChartTemplates();
    expect(readdirSync(CRD_CHART_TEMPLATES).sort()).toEqual([...expected.keys()]);
    for (const [file, content] of expected) expect(readFileSync(join(CRD_CHART_TEMPLATES, file), "utf8"), file).toBe(content);
  });

  it("renders every CRD of crds/ unchanged but for the keep annotation", () => {
    const rendered = renderCrdChart();
    const crds = readdirSync(CRD_DIR)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => parse(readFileSync(join(CRD_DIR, f), "utf8").replace(/^#.*\n/, "")) as { metadata: { name: string; annotations?: object } });
    expect(rendered.map((m) => m.metadata.name).sort()).toEqual(crds.map((c) => c.metadata.name).sort());
    for (const crd of crds) {
      const out = rendered.find((m) => m.metadata.name === crd.metadata.name)!;
      expect(out.metadata.annotations).toEqual({ [KEEP_ANNOTATION]: "keep" });
      expect({ ...out, metadata: { ...out.metadata, annotations: undefined } }).toEqual({ ...crd, metadata: { ...crd.metadata, annotations: undefined } });
    }
  });
});
