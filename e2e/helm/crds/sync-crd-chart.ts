import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CRD_CHART_TEMPLATES, expectedCrdChartTemplates } from "./crd-chart-files.js";

// Run after `pnpm gen:crds`: copies crds/*.yaml into charts/ark-crds/templates (the test fails when they drift).
const expected = expectedCrdChartTemplates();
mkdirSync(CRD_CHART_TEMPLATES, { recursive: true });
for (const [file, content] of expected) writeFileSync(join(CRD_CHART_TEMPLATES, file), content);
for (const file of readdirSync(CRD_CHART_TEMPLATES)) if (!expected.has(file)) rmSync(join(CRD_CHART_TEMPLATES, file));
console.log(`wrote ${expected.size} CRD templates to charts/ark-crds/templates`);
