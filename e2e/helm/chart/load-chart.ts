import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";

interface ChartDependency {
  name: string;
  version: string;
  condition?: string;
  repository?: string;
}

interface ChartMetadata {
  apiVersion: string;
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  type?: "application" | "library";
  dependencies?: ChartDependency[];
}

export interface LoadedChart {
  dir: string;
  metadata: ChartMetadata;
  values: Record<string, unknown>;
  /** Paths relative to templates/. */
  templates: { path: string; text: string }[];
  /** Every other file of the chart, for .Files.Get. */
  files: Map<string, string>;
  subcharts: LoadedChart[];
}

/** Reads a chart directory the way Helm's loader does (no .helmignore, no packaged .tgz subcharts). */
export function loadChart(dir: string): LoadedChart {
  const metadata = parse(readFileSync(join(dir, "Chart.yaml"), "utf8")) as ChartMetadata;
  const valuesPath = join(dir, "values.yaml");
  const values = existsSync(valuesPath) ? ((parse(readFileSync(valuesPath, "utf8")) as Record<string, unknown> | null) ?? {}) : {};
  const templatesDir = join(dir, "templates");
  const templates = existsSync(templatesDir) ? walk(templatesDir).map((file) => ({ path: relative(templatesDir, file), text: readFileSync(file, "utf8") })) : [];
  const chartsDir = join(dir, "charts");
  const subcharts = existsSync(chartsDir)
    ? readdirSync(chartsDir)
        .sort()
        .map((name) => join(chartsDir, name))
        .filter((sub) => existsSync(join(sub, "Chart.yaml")))
        .map(loadChart)
    : [];
  const files = new Map<string, string>();
  for (const file of walk(dir)) {
    const rel = relative(dir, file);
    if (!/^(templates|charts)\//.test(rel) && rel !== "Chart.yaml" && rel !== "values.yaml") files.set(rel, readFileSync(file, "utf8"));
  }
  return { dir, metadata, values, templates, files, subcharts };
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}
