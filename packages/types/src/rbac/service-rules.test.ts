import { describe, expect, it } from "vitest";
import { GROUP } from "../kinds/definition.js";
import { arkKinds } from "../kinds/index.js";
import { ARK_SERVICE_IDENTITIES, identityGrants, serviceRbac, serviceRules } from "./service-rules.js";

const plurals = arkKinds.map((k) => k.plural);
const KNOWN: Record<string, string[]> = {
  [GROUP]: [...plurals, ...plurals.map((p) => `${p}/status`), ...plurals.map((p) => `${p}/finalizers`)],
  "": ["secrets", "configmaps", "services", "events", "namespaces"],
  "coordination.k8s.io": ["leases"],
};
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];

describe("service RBAC rules", () => {
  it("name only resources and verbs that exist, never a wildcard, for every identity", () => {
    expect(Object.keys(serviceRbac).sort()).toEqual([...ARK_SERVICE_IDENTITIES].sort());
    for (const [service, { grants }] of Object.entries(serviceRbac)) {
      for (const { rules } of grants) {
        for (const rule of rules) {
          for (const group of rule.apiGroups) {
            expect(Object.keys(KNOWN), `${service}: group ${group}`).toContain(group);
            for (const resource of rule.resources) expect(KNOWN[group], `${service}: ${group}/${resource}`).toContain(resource);
          }
          for (const verb of rule.verbs) expect(VERBS, `${service}: ${verb}`).toContain(verb);
        }
      }
    }
  });

  it("give the options' rules only when the option is on", () => {
    const creates = (on: boolean) => serviceRules("ark-api", "cluster", { rbacCreateNamespaces: on }).some((r) => r.resources.includes("namespaces") && r.verbs.includes("create"));
    expect([creates(false), creates(true)]).toEqual([false, true]);
  });

  it("keep Secrets writes out of the cluster scope, and the workers read-only but for the ToolApprovalRequests runs pause on", () => {
    for (const service of ARK_SERVICE_IDENTITIES) {
      const clusterSecretWrites = serviceRules(service, "cluster", { rbacCreateNamespaces: true }).filter((r) => r.resources.includes("secrets") && r.verbs.some((v) => !["get", "list", "watch"].includes(v)));
      expect(clusterSecretWrites, service).toEqual([]);
    }
    const workerRules = serviceRbac["ark-controller-worker"].grants.flatMap((g) => g.rules);
    const writes = workerRules.filter((r) => r.verbs.some((v) => !["get", "list", "watch"].includes(v)));
    expect(writes).toEqual([
      { apiGroups: ["ark.mckinsey.com"], resources: ["toolapprovalrequests"], verbs: ["get", "create"] },
      { apiGroups: ["ark.mckinsey.com"], resources: ["a2atasks"], verbs: ["get", "create"] },
      { apiGroups: ["ark.mckinsey.com"], resources: ["a2atasks/status"], verbs: ["patch"] },
    ]);
  });
});

describe("identityGrants", () => {
  const secrets = (rules: { resources: string[] }[]) => rules.some((r) => r.resources.includes("secrets"));

  it("places ark-api's Secret rules in the listed namespaces only on a cluster, and everywhere on a single-user stack", () => {
    const listed = identityGrants(["ark-api"], { serviceNamespace: "ark-system", secretNamespaces: ["team-a"] });
    expect(secrets(listed.clusterRules)).toBe(false);
    expect(Object.keys(listed.namespaceRules).sort()).toEqual(["ark-system", "team-a"]);
    expect(listed.namespaceRules["ark-system"]).toEqual(serviceRules("ark-api", "api-keys-namespace"));
    const all = identityGrants(["ark-api"], { serviceNamespace: "ark-system", secretNamespaces: "all", rbacCreateNamespaces: true });
    expect(secrets(all.clusterRules)).toBe(true);
    expect(all.clusterRules.some((r) => r.resources.includes("namespaces") && r.verbs.includes("create"))).toBe(true);
  });

  it("joins several identities (one process running both controller roles) and puts the Lease rules in the service namespace", () => {
    const both = identityGrants(["ark-controller-reconciler", "ark-controller-worker"], { serviceNamespace: "ark-system", secretNamespaces: [] });
    expect(both.clusterRules).toEqual([...serviceRules("ark-controller-reconciler", "cluster"), ...serviceRules("ark-controller-worker", "cluster")]);
    expect(both.namespaceRules).toEqual({ "ark-system": serviceRules("ark-controller-reconciler", "own-namespace") });
  });
});
