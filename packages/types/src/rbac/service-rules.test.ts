import { describe, expect, it } from "vitest";
import { GROUP } from "../kinds/definition.js";
import { arkKinds } from "../kinds/index.js";
import { ARK_SERVICE_IDENTITIES, serviceRbac, serviceRules } from "./service-rules.js";

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

  it("keep Secrets writes out of the cluster scope, and the workers read-only", () => {
    for (const service of ARK_SERVICE_IDENTITIES) {
      const clusterSecretWrites = serviceRules(service, "cluster", { rbacCreateNamespaces: true }).filter(
        (r) => r.resources.includes("secrets") && r.verbs.some((v) => !["get", "list", "watch"].includes(v)),
      );
      expect(clusterSecretWrites, service).toEqual([]);
    }
    const workerVerbs = serviceRbac["ark-controller-worker"].grants.flatMap((g) => g.rules.flatMap((r) => r.verbs));
    expect([...new Set(workerVerbs)].sort()).toEqual(["get", "list", "watch"]);
  });
});
