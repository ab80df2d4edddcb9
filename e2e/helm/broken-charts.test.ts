import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHARTS_DIR, RELEASE, renderArk, SCENARIOS } from "./ark-charts.js";
import { envProblems, schemaProblems } from "./checks.js";
import { loadChart } from "./chart/load-chart.js";
import { toManifests } from "./chart/manifests.js";
import { renderChart } from "./chart/render-chart.js";

const scratch = mkdtempSync(join(tmpdir(), "ark-charts-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Renders (everything on) a copy of charts/ark with one edit, checked like the real chart. */
function renderEdited(file: string, from: string, to: string): void {
  const dir = mkdtempSync(join(scratch, "ark-"));
  cpSync(join(CHARTS_DIR, "ark"), dir, { recursive: true });
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`test setup: "${from}" not in ${file}`);
  writeFileSync(path, text.replace(from, to));
  const chart = loadChart(dir);
  chart.metadata.name = "ark";
  const manifests = toManifests(renderChart(chart, { values: SCENARIOS.everything, release: RELEASE }));
  const problems = schemaProblems(manifests);
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

const COMMON = "charts/ark-common/templates";

describe("the checks fail on a broken chart", () => {
  it.each([
    ["an unclosed block", `${COMMON}/_hpa.tpl`, "{{- end }}\n{{- end }}", "{{- end }}", /_hpa.tpl:\d+: unexpected EOF/],
    ["an unknown function", `${COMMON}/_deployment.tpl`, "toYaml $c.resources | nindent 12", "toYaml $c.resources | nindnt 12", /function "nindnt" not defined/],
    ["a misspelt values path", `${COMMON}/_service.tpl`, "$svc.type", ".root.Values.servce.type", /nil pointer evaluating interface \{\}\.type/],
    ["an indentation slip", `${COMMON}/_deployment.tpl`, "toYaml $c.resources | nindent 12", "toYaml $c.resources | nindent 10", /unknown fields spec\.template\.spec\.containers\[0\]\.(limits|requests)/],
    ["a number where Kubernetes wants a string", `${COMMON}/_service.tpl`, "targetPort: http", "targetPort: [http]", /targetPort/],
    ["a misspelt field", `${COMMON}/_pdb.tpl`, "  selector:\n", "  selectr:\n", /unknown fields spec\.selectr/],
    ["a missing required field", `${COMMON}/_service.tpl`, "      port: {{ $svc.port }}\n", "", /ports\/0 must have required property port/],
    ["a field of the wrong type in an ARK resource", "charts/ark-mcp/templates/mcpserver.yaml", "transport: http", "transport: carrier-pigeon", /transport/],
    ["a YAML document glued to a separator", "charts/ark-controller/templates/pdb.yaml", "---\n{{ include", "---\n{{- include", /unique|YAML/i],
  ])("%s", (_what, file, from, to, error) => {
    expect(() => renderEdited(file, from, to)).toThrow(error);
  });
});

describe("the checks fail on values a service would reject", () => {
  it("a big number unquoted in config prints as 1e+06, which the service's schema refuses", () => {
    const manifests = renderArk({ ...SCENARIOS.defaults, "ark-api": { config: { MAX_WAIT_SECONDS: 1000000 } } });
    const api = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "ark-api")!;
    const { env, problems } = envProblems(api);
    expect(env.MAX_WAIT_SECONDS).toBe("1e+06");
    expect(problems.join("\n")).toMatch(/MAX_WAIT_SECONDS/);
  });

  it("an environment variable the service does not read", () => {
    const manifests = renderArk({ "ark-mcp": { config: { ARK_MCP_DEFAULT_NAMESPCE: "x" } } });
    expect(envProblems(manifests.find((m) => m.metadata.name === "ark-mcp" && m.kind === "Deployment")!).problems).toEqual(["ark-mcp does not read ARK_MCP_DEFAULT_NAMESPCE"]);
  });

  it("no NATS URL, an HTTPRoute without a Gateway, postgres-memory without its Secret: rendering stops with the reason", () => {
    expect(() => renderArk({ global: { natsUrl: "" } })).toThrow(/natsUrl or global.natsUrl is required/);
    expect(() => renderArk({ "ark-api": { httpRoute: { enabled: true } } })).toThrow(/httpRoute.parentRefs is required/);
    expect(() => renderArk({ "postgres-memory": { database: { secretName: "" } } })).toThrow(/database.secretName is required/);
  });
});
