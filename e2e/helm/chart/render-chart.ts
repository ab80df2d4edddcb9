import { posix } from "node:path";
import { CHART_FUNCTIONS, goStruct, TemplateSet } from "@ark/gotemplate";
import { coalesceValues, subchartValues, valueAt, type Values } from "./coalesce-values.js";
import type { LoadedChart } from "./load-chart.js";

export interface RenderOptions {
  values?: Values;
  release?: { name: string; namespace: string };
  /** API versions the cluster serves, for .Capabilities.APIVersions.Has. */
  apiVersions?: string[];
}

export interface RenderedTemplate {
  /** As Helm names it: `ark/charts/ark-api/templates/deployment.yaml`. */
  name: string;
  chart: string;
  content: string;
}

interface ActiveChart {
  chart: LoadedChart;
  path: string;
  values: Values;
}

/** `helm template`: the chart and its enabled subcharts, every non-partial template rendered with its own chart's values. */
export function renderChart(chart: LoadedChart, options: RenderOptions = {}): RenderedTemplate[] {
  const release = options.release ?? { name: "ark", namespace: "ark-system" };
  const top = coalesceValues(chart.values, options.values ?? {});
  top.global ??= {};
  const active = activeCharts(chart, chart.metadata.name, top);
  const set = new TemplateSet({ functions: CHART_FUNCTIONS });
  for (const { chart: c, path } of active) for (const t of c.templates) set.add(`${path}/templates/${t.path}`, t.text);
  const capabilities = goStruct({
    KubeVersion: goStruct({ Version: "v1.31.0", Major: "1", Minor: "31" }),
    APIVersions: goStruct({ Has: (v: string) => (options.apiVersions ?? []).includes(v) }),
  });
  const rendered: RenderedTemplate[] = [];
  for (const { chart: c, path, values } of active) {
    if (c.metadata.type === "library") continue;
    const meta = c.metadata;
    const chartObject = goStruct({ Name: meta.name, Version: meta.version, AppVersion: meta.appVersion ?? "", Description: meta.description ?? "", Type: meta.type ?? "application" });
    const files = goStruct({ Get: (name: string) => c.files.get(name) ?? "" });
    for (const t of c.templates) {
      const name = `${path}/templates/${t.path}`;
      if (posix.basename(t.path).startsWith("_") || t.path === "NOTES.txt") continue;
      const data = goStruct({
        Values: values,
        Release: goStruct({ Name: release.name, Namespace: release.namespace, Service: "Helm", IsInstall: true, IsUpgrade: false, Revision: 1 }),
        Chart: chartObject,
        Capabilities: capabilities,
        Files: files,
        Template: goStruct({ Name: name, BasePath: `${path}/templates` }),
      });
      rendered.push({ name, chart: meta.name, content: helmOutput(set.execute(name, data)) });
    }
  }
  return rendered;
}

/** The chart and the subcharts whose `condition` is not false, each with its coalesced values. */
function activeCharts(chart: LoadedChart, path: string, values: Values): ActiveChart[] {
  const out: ActiveChart[] = [{ chart, path, values }];
  for (const dep of chart.metadata.dependencies ?? []) {
    const sub = chart.subcharts.find((s) => s.metadata.name === dep.name);
    if (!sub) throw new Error(`${path}: found in Chart.yaml, but missing in charts/ directory: ${dep.name}`);
    const condition = dep.condition
      ? dep.condition
          .split(",")
          .map((p) => valueAt(values, p.trim()))
          .find((v) => typeof v === "boolean")
      : undefined;
    if (condition === false) continue;
    out.push(...activeCharts(sub, `${path}/charts/${dep.name}`, subchartValues(sub.values, values, dep.name)));
  }
  return out;
}

/** Helm prints a missing value as nothing, where text/template prints "<no value>". */
function helmOutput(text: string): string {
  return text.replaceAll("<no value>", "");
}
