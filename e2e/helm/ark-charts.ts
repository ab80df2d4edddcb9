import { join } from "node:path";
import { loadChart, type LoadedChart } from "./chart/load-chart.js";
import { toManifests, type Manifest } from "./chart/manifests.js";
import { renderChart } from "./chart/render-chart.js";
import type { Values } from "./chart/coalesce-values.js";
import { REPO_ROOT } from "./crds/crd-chart-files.js";

export const CHARTS_DIR = join(REPO_ROOT, "charts");
export const RELEASE = { name: "ark", namespace: "ark-system" };

/** The service subcharts and what each must match: its folder under services/ and its port (docs/architecture.md §6). */
export const SERVICES = {
  "ark-controller": { port: 8081 },
  "ark-api": { port: 8000 },
  "ark-mcp": { port: 2627 },
  "ark-api-a2a": { port: 7184 },
  "filesys-mcp": { port: 9090 },
  "postgres-memory": { port: 8002 },
  "executor-langchain": { port: 8003 },
  "localhost-gateway": { port: 8080 },
  "ark-apiserver": { port: 6443 },
  "evaluator-llm": { port: 8001 },
  "ark-dashboard": { port: 3000 },
} as const;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

const allOn = Object.fromEntries(SERVICE_NAMES.map((s) => [s, { enabled: true }]));

/** The value sets the tests render: the defaults, everything on (every optional object too), everything off. */
export const SCENARIOS: Record<string, Values> = {
  defaults: {},
  everything: {
    ...allOn,
    "ark-api": {
      enabled: true,
      httpRoute: { enabled: true, parentRefs: [{ name: "public", namespace: "gateways" }], hostnames: ["ark.example.com"] },
      adminKeySecret: { name: "ark-api-admin" },
      rbacCreateNamespaces: true,
    },
    "ark-mcp": { enabled: true, httpRoute: { enabled: true, parentRefs: [{ name: "public" }] }, mcpServer: { create: true }, autoscaling: { enabled: true } },
    "ark-api-a2a": { enabled: true, httpRoute: { enabled: true, parentRefs: [{ name: "public" }] }, namespaces: "default,team-a" },
    "filesys-mcp": { enabled: true, mcpServer: { create: true } },
    "postgres-memory": { enabled: true, memory: { create: true } },
    "ark-apiserver": { enabled: true, database: { secretName: "apiserver-db" } },
    "evaluator-llm": { enabled: true, evaluator: { create: true } },
    "ark-dashboard": { enabled: true, oidc: { issuer: "https://login.example.com/realms/ark", clientId: "ark-dashboard", scope: "openid email", token: "id" } },
    global: { otel: { langfuse: { enabled: true }, headersSecret: { name: "langfuse-otel" }, sampler: "parentbased_traceidratio", samplerArg: 0.5, traceContent: "none" } },
    grafana: { dashboard: { enabled: true } },
  },
  nothing: Object.fromEntries(SERVICE_NAMES.map((s) => [s, { enabled: false }])),
};

let umbrella: LoadedChart | undefined;
export function arkChart(): LoadedChart {
  return (umbrella ??= loadChart(join(CHARTS_DIR, "ark")));
}

export function renderArk(values: Values = {}): Manifest[] {
  return toManifests(renderChart(arkChart(), { values, release: RELEASE }));
}

export function renderCrdChart(): Manifest[] {
  return toManifests(renderChart(loadChart(join(CHARTS_DIR, "ark-crds")), { release: RELEASE }));
}

/** Which service chart a manifest came from (`ark/charts/<service>/templates/…`). */
export function serviceOf(m: Manifest): string | undefined {
  return /^ark\/charts\/([^/]+)\//.exec(m.source)?.[1];
}
