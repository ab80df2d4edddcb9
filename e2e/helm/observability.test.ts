import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderArk, SCENARIOS } from "./ark-charts.js";
import type { Manifest } from "./chart/manifests.js";
import type { Values } from "./chart/coalesce-values.js";
import { REPO_ROOT } from "./crds/crd-chart-files.js";

// global.otel wires the OTEL_* variables into every service, Langfuse included; grafana.dashboard ships the
// dashboard of docs/architecture.md §9.2's metrics.

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
type Deployment = Manifest & { spec: { template: { spec: { containers: { env: EnvVar[] }[] } } } };
type Policy = Manifest & { spec: { egress?: { ports?: { port: number }[]; to?: unknown[] }[] } };

const deploymentsOf = (values: Values) => renderArk(values).filter((m): m is Deployment => m.kind === "Deployment");
const envOf = (d: Deployment) => Object.fromEntries(d.spec.template.spec.containers[0]!.env.map((e) => [e.name, e]));
const otelNames = (d: Deployment) => Object.keys(envOf(d)).filter((n) => n.startsWith("OTEL_") || n === "ARK_TRACE_CONTENT");

describe("global.otel", () => {
  it("is off by default: no OTEL_* variable on any service, no egress for traces", () => {
    const manifests = renderArk(SCENARIOS["defaults"]);
    const deployments = manifests.filter((m): m is Deployment => m.kind === "Deployment");
    expect(deployments.length).toBeGreaterThan(5);
    for (const d of deployments) expect(otelNames(d), d.metadata.name).toEqual([]);
    const policies = manifests.filter((m): m is Policy => m.kind === "NetworkPolicy");
    for (const p of policies) expect(p.spec.egress?.some((rule) => rule.ports?.some((port) => port.port === 4318)) ?? false, p.metadata.name).toBe(false);
  });

  it("with an endpoint, every service gets it with the headers from the Secret, the protocol and the sampler", () => {
    const deployments = deploymentsOf({
      ...SCENARIOS["everything"],
      global: { otel: { endpoint: "http://collector.observability:4318", protocol: "http/json", headersSecret: { name: "otel-headers", key: "headers" }, sampler: "always_on" } },
    });
    expect(deployments.length).toBeGreaterThanOrEqual(12);
    for (const d of deployments) {
      expect(envOf(d), d.metadata.name).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: { value: "http://collector.observability:4318" },
        OTEL_EXPORTER_OTLP_HEADERS: { valueFrom: { secretKeyRef: { name: "otel-headers", key: "headers" } } },
        OTEL_EXPORTER_OTLP_PROTOCOL: { value: "http/json" },
        OTEL_TRACES_SAMPLER: { value: "always_on" },
      });
    }
  });

  it("with Langfuse on, every service exports to Langfuse's /api/public/otel with the Basic auth header from the Secret, and may reach it", () => {
    const manifests = renderArk(SCENARIOS["everything"]);
    const deployments = manifests.filter((m): m is Deployment => m.kind === "Deployment");
    for (const d of deployments) {
      expect(envOf(d), d.metadata.name).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: { value: "http://langfuse-web.langfuse.svc.cluster.local:3000/api/public/otel" },
        OTEL_EXPORTER_OTLP_HEADERS: { valueFrom: { secretKeyRef: { name: "langfuse-otel", key: "OTEL_EXPORTER_OTLP_HEADERS" } } },
        ARK_TRACE_CONTENT: { value: "none" },
        OTEL_TRACES_SAMPLER_ARG: { value: "0.5" },
      });
    }
    const policies = manifests.filter((m): m is Policy => m.kind === "NetworkPolicy" && !["ark-default-deny", "ark-dns"].includes(m.metadata.name));
    expect(policies.length).toBeGreaterThan(5);
    for (const p of policies)
      expect(
        p.spec.egress?.some((rule) => rule.ports?.some((port) => port.port === 3000)),
        p.metadata.name,
      ).toBe(true);
  });

  it("refuses Langfuse without the Secret holding its auth header, naming the value", () => {
    expect(() => renderArk({ global: { otel: { langfuse: { enabled: true } } } })).toThrow(/global\.otel\.headersSecret\.name is required/);
  });
});

describe("grafana.dashboard", () => {
  const dashboardOf = (values: Values | undefined) => renderArk(values).find((m) => m.kind === "ConfigMap" && m.metadata.name === "ark-grafana-dashboard") as (Manifest & { data: Record<string, string> }) | undefined;

  it("is off by default", () => {
    expect(dashboardOf(SCENARIOS["defaults"])).toBeUndefined();
  });

  it("ships the dashboard JSON in a ConfigMap with the sidecar's label; every metric it charts is one docs/architecture.md §9.2 lists", () => {
    const configMap = dashboardOf(SCENARIOS["everything"]);
    expect(configMap?.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
    const dashboard = JSON.parse(configMap!.data["ark.json"]!) as { uid: string; panels: { targets?: { expr: string }[] }[] };
    expect(dashboard.uid).toBe("ark-overview");
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(15);
    const metrics = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:ark|apiserver)_[a-z_]+?)(?:_bucket|_count|_sum)?\{/g)].map((m) => m[1]!)));
    const architecture = readFileSync(join(REPO_ROOT, "docs/architecture.md"), "utf8");
    const section = architecture.slice(architecture.indexOf("### 9.2 Metrics"));
    for (const metric of metrics) expect(section, metric).toContain(`\`${metric}\``);
    // Every documented controller and apiserver metric is on the dashboard.
    const documented = new Set([...section.matchAll(/`((?:ark|apiserver)_[a-z_]+)`/g)].map((m) => m[1]!));
    expect([...documented].filter((m) => !metrics.has(m))).toEqual([]);
  });
});
