import { ARK_SERVICE_IDENTITIES, serviceRbac, serviceRules, type PolicyRule, type RbacScope } from "@ark/types";
import { describe, expect, it } from "vitest";
import { renderArk, SCENARIOS } from "./ark-charts.js";
import type { Manifest } from "./chart/manifests.js";

// The chart's RBAC must be packages/types/src/rbac/service-rules.ts, the one source ark-apiserver's service identities use too.

type RoleManifest = Manifest & { rules: PolicyRule[] };
type Binding = Manifest & { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string }[] };

const SCOPE_LABEL = "ark.mckinsey.com/rbac-scope";

/** One permission per (group, resource, name, verb), so rules written in another grouping compare equal. */
function permissions(rules: PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) for (const n of r.resourceNames ?? ["*"]) out.add(`${g}/${res}/${n}:${v}`);
  }
  return [...out].sort();
}

/** What the chart grants each ServiceAccount, per scope and namespace: "sa scope namespace" → permissions. */
function chartGrants(manifests: Manifest[]): Map<string, string[]> {
  const roles = manifests.filter((m) => m.kind === "Role" || m.kind === "ClusterRole") as RoleManifest[];
  const out = new Map<string, string[]>();
  for (const b of manifests.filter((m) => m.kind === "RoleBinding" || m.kind === "ClusterRoleBinding") as Binding[]) {
    const role = roles.find((r) => r.kind === b.roleRef.kind && r.metadata.name === b.roleRef.name && r.metadata.namespace === b.metadata.namespace)!;
    const scope = role.metadata.labels?.[SCOPE_LABEL];
    for (const s of b.subjects) {
      const key = `${s.name} ${scope} ${role.metadata.namespace ?? "*"}`;
      out.set(key, [...new Set([...(out.get(key) ?? []), ...permissions(role.rules)])].sort());
    }
  }
  return out;
}

/** What service-rules.ts says the chart must grant, with the chart's namespaces for each scope. */
function expectedGrants(options: { rbacCreateNamespaces: boolean; secretNamespaces: string[] }): Map<string, string[]> {
  const namespaces: Record<RbacScope, string[]> = {
    cluster: ["*"],
    "own-namespace": ["ark-system"],
    "api-keys-namespace": ["ark-system"],
    "secret-namespaces": options.secretNamespaces,
  };
  const out = new Map<string, string[]>();
  for (const service of ARK_SERVICE_IDENTITIES) {
    if (serviceRbac[service].planned) continue;
    for (const scope of Object.keys(namespaces) as RbacScope[]) {
      const rules = serviceRules(service, scope, options);
      if (rules.length > 0) for (const ns of namespaces[scope]) out.set(`${service} ${scope} ${ns}`, permissions(rules));
    }
  }
  return out;
}

describe("the chart's RBAC is service-rules.ts", () => {
  it.each([
    ["defaults", SCENARIOS.defaults!, { rbacCreateNamespaces: false, secretNamespaces: ["default"] }],
    ["everything", SCENARIOS.everything!, { rbacCreateNamespaces: true, secretNamespaces: ["default"] }],
    ["two secret namespaces", { "ark-api": { secretNamespaces: ["team-a", "team-b"] } }, { rbacCreateNamespaces: false, secretNamespaces: ["team-a", "team-b"] }],
  ])("with %s values: every ServiceAccount holds exactly its service's rules, in the scopes they name", (_name, values, options) => {
    const chart = chartGrants(renderArk(values));
    const expected = expectedGrants(options);
    expect(Object.fromEntries([...chart].sort())).toEqual(Object.fromEntries([...expected].sort()));
  });

  it("services with no rules get no token", () => {
    const manifests = renderArk(SCENARIOS.everything);
    for (const service of ARK_SERVICE_IDENTITIES.filter((s) => !serviceRbac[s].planned && serviceRbac[s].grants.length === 0)) {
      const sa = manifests.find((m) => m.kind === "ServiceAccount" && m.metadata.name === service) as Manifest & { automountServiceAccountToken: boolean };
      expect(sa?.automountServiceAccountToken, service).toBe(false);
    }
  });

  it("no service may write Secrets cluster-wide, and only ark-api writes them at all", () => {
    for (const service of ARK_SERVICE_IDENTITIES) {
      const writes = permissions(serviceRules(service, "cluster", { rbacCreateNamespaces: true })).filter((p) => p.startsWith("/secrets/") && !/:(get|list|watch)$/.test(p));
      expect(writes, service).toEqual([]);
    }
    const writers = ARK_SERVICE_IDENTITIES.filter((s) => serviceRbac[s].grants.some((g) => g.rules.some((r) => r.resources.includes("secrets") && r.verbs.some((v) => !["get", "list", "watch"].includes(v)))));
    expect(writers).toEqual(["ark-api"]);
  });
});
