import { describe, expect, it } from "vitest";
import { renderArk, SCENARIOS } from "./ark-charts.js";
import { manifestKey } from "./chart/manifests.js";
import { schemaProblems } from "./checks.js";

describe.each(Object.keys(SCENARIOS))("the ark chart rendered with %s values", (scenario) => {
  const manifests = renderArk(SCENARIOS[scenario]);

  it("renders objects with unique kind/namespace/name, namespaced ones in the release namespace", () => {
    const keys = manifests.map(manifestKey);
    expect(new Set(keys).size).toBe(keys.length);
    const clusterScoped = new Set(["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"]);
    // ark-api's Roles for the Secrets it manages sit in ark-api.secretNamespaces (default: default).
    const namespaceOf = (m: (typeof manifests)[number]) => (clusterScoped.has(m.kind) ? undefined : m.metadata.labels?.["ark.mckinsey.com/rbac-scope"] === "secret-namespaces" ? "default" : "ark-system");
    for (const m of manifests) expect(m.metadata.namespace, manifestKey(m)).toBe(namespaceOf(m));
  });

  it("every object validates: built-in kinds against the Kubernetes schemas, ARK kinds against their CRD and admission rules", () => {
    expect(schemaProblems(manifests)).toEqual([]);
  });
});

describe("what each scenario holds", () => {
  const kinds = (scenario: string) => renderArk(SCENARIOS[scenario]).map((m) => `${m.kind}/${m.metadata.name}`);

  it("defaults: the cluster services, without ark-apiserver, localhost-gateway, HTTPRoutes or ARK resources", () => {
    const names = kinds("defaults");
    for (const d of ["ark-controller-reconciler", "ark-controller-worker", "ark-api", "ark-mcp", "filesys-mcp", "postgres-memory", "executor-langchain"]) expect(names).toContain(`Deployment/${d}`);
    expect(names).toContain("ExecutionEngine/executor-langchain");
    expect(names.filter((n) => /ark-apiserver|localhost-gateway|^HTTPRoute|^MCPServer|^Memory/.test(n))).toEqual([]);
  });

  it("everything: every service, HTTPRoutes for ark-api, ark-mcp and ark-api-a2a, the Memory and MCPServers", () => {
    const names = kinds("everything");
    for (const d of ["ark-apiserver", "localhost-gateway"]) expect(names).toContain(`Deployment/${d}`);
    expect(names.filter((n) => /^(HTTPRoute|MCPServer|Memory)\//.test(n)).sort()).toEqual([
      "HTTPRoute/ark-api",
      "HTTPRoute/ark-api-a2a",
      "HTTPRoute/ark-mcp",
      "MCPServer/ark-mcp",
      "MCPServer/filesys-mcp",
      "Memory/postgres-memory",
    ]);
  });

  it("evaluator-llm registers the Evaluator evaluator-llm at its Service, path /evaluate", () => {
    const evaluator = renderArk(SCENARIOS["defaults"]).find((m) => m.kind === "Evaluator") as unknown as { metadata: { name: string }; spec: { address: unknown } };
    expect(evaluator.metadata.name).toBe("evaluator-llm");
    expect(evaluator.spec.address).toEqual({ valueFrom: { serviceRef: { name: "evaluator-llm", port: "http", path: "/evaluate" } } });
  });

  it("nothing: no objects at all", () => {
    expect(kinds("nothing")).toEqual([]);
  });
});
