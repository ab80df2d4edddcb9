import { arkKinds, GROUP } from "@ark/types";
import { describe, expect, it } from "vitest";
import { LEASE_NAME } from "../../services/ark-controller/src/reconcilers/index.js";
import { arkChart, renderArk, SCENARIOS } from "./ark-charts.js";
import { toManifests, type Manifest } from "./chart/manifests.js";
import { renderChart } from "./chart/render-chart.js";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
type RoleManifest = Manifest & { rules: Rule[] };
type Binding = Manifest & { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace: string }[] };

const arkPlurals = arkKinds.map((k) => k.plural);
/** What RBAC rules may name: ARK kinds with their status/finalizers subresources, and the core kinds ARK uses. */
const KNOWN_RESOURCES: Record<string, string[]> = {
  [GROUP]: [...arkPlurals, ...arkPlurals.map((p) => `${p}/status`), ...arkPlurals.map((p) => `${p}/finalizers`)],
  "": ["secrets", "configmaps", "services", "events", "namespaces"],
  "coordination.k8s.io": ["leases"],
};
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

const manifests = renderArk(SCENARIOS.everything);
const roles = manifests.filter((m) => m.kind === "ClusterRole" || m.kind === "Role") as RoleManifest[];
const role = (kind: string, name: string) => roles.find((r) => r.kind === kind && r.metadata.name === name)!;
/** "group/resource" → verbs, over every rule of a role. */
function grants(r: RoleManifest): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const rule of r.rules) for (const g of rule.apiGroups) for (const res of rule.resources) for (const v of rule.verbs) out.set(`${g}/${res}`, (out.get(`${g}/${res}`) ?? new Set()).add(v));
  return out;
}
const can = (r: RoleManifest, verb: string, resource: string) => grants(r).get(resource)?.has(verb) ?? false;

describe("RBAC", () => {
  it("names only resources and verbs that exist, never a wildcard", () => {
    expect(roles.length).toBeGreaterThan(0);
    for (const r of roles) {
      for (const rule of r.rules) {
        for (const g of rule.apiGroups) {
          expect(Object.keys(KNOWN_RESOURCES), `${r.metadata.name}: group "${g}"`).toContain(g);
          for (const res of rule.resources) expect(KNOWN_RESOURCES[g], `${r.metadata.name}: ${g}/${res}`).toContain(res);
        }
        for (const v of rule.verbs) expect(VERBS, `${r.metadata.name}: verb ${v}`).toContain(v);
      }
    }
  });

  it("binds every role to a ServiceAccount the chart creates, in the release namespace", () => {
    const bindings = manifests.filter((m) => m.kind.endsWith("RoleBinding")) as Binding[];
    expect(bindings.length).toBe(roles.length);
    for (const b of bindings) {
      expect(
        roles.some((r) => r.kind === b.roleRef.kind && r.metadata.name === b.roleRef.name),
        b.metadata.name,
      ).toBe(true);
      for (const s of b.subjects) {
        expect(s).toMatchObject({ kind: "ServiceAccount", namespace: "ark-system" });
        expect(
          manifests.some((m) => m.kind === "ServiceAccount" && m.metadata.name === s.name),
          s.name,
        ).toBe(true);
      }
    }
  });

  it("reconciler: watches what it reconciles, writes status, finalizers and Events, holds its Lease by name", () => {
    const r = role("ClusterRole", "ark-system-ark-controller-reconciler");
    for (const kind of ["queries", "agents", "teams", "models", "tools", "mcpservers", "memories"]) {
      expect(can(r, "watch", `${GROUP}/${kind}`), kind).toBe(true);
      expect(can(r, "patch", `${GROUP}/${kind}/status`), `${kind}/status`).toBe(true);
    }
    // Cross-namespace references are checked against the ReferenceGrants of the namespace referred to.
    expect(can(r, "watch", `${GROUP}/referencegrants`)).toBe(true);
    for (const core of ["secrets", "configmaps", "services"]) expect(can(r, "watch", `/${core}`)).toBe(true);
    expect(can(r, "patch", `${GROUP}/queries`) && can(r, "delete", `${GROUP}/queries`)).toBe(true);
    // Secrets: read only (model keys in tenants' namespaces), never written.
    expect(["create", "update", "patch", "delete"].filter((verb) => can(r, verb, "/secrets"))).toEqual([]);
    expect(can(r, "create", "/events")).toBe(true);
    // MCPServer discovery keeps its Tools, owned with blockOwnerDeletion (needs update on the owner's finalizers).
    expect(["create", "update", "delete"].every((verb) => can(r, verb, `${GROUP}/tools`)) && can(r, "update", `${GROUP}/mcpservers/finalizers`)).toBe(true);
    // Evaluations: Evaluators probed, Evaluations made (selector, batch children), a dataset's Queries created, all owned.
    for (const kind of ["evaluators", "evaluations"]) {
      expect(can(r, "watch", `${GROUP}/${kind}`) && can(r, "patch", `${GROUP}/${kind}/status`), kind).toBe(true);
    }
    expect(["create", "patch", "delete"].every((verb) => can(r, verb, `${GROUP}/evaluations`)) && can(r, "create", `${GROUP}/queries`)).toBe(true);
    // A2AServer discovery keeps its Agents the same way.
    expect(["create", "update", "delete"].every((verb) => can(r, verb, `${GROUP}/agents`)) && can(r, "update", `${GROUP}/a2aservers/finalizers`)).toBe(true);
    expect(can(r, "update", `${GROUP}/teams`) || can(r, "update", `${GROUP}/queries`) || can(r, "get", "coordination.k8s.io/leases")).toBe(false);
    const lease = role("Role", "ark-controller-reconciler");
    expect(lease.metadata.namespace).toBe("ark-system");
    expect(lease.rules).toContainEqual({ apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: [LEASE_NAME], verbs: ["get", "update"] });
  });

  it("worker: reads (and watches, for its caches) what a query needs and writes only the ToolApprovalRequests runs pause on and the A2ATasks they start", () => {
    const w = role("ClusterRole", "ark-system-ark-controller-worker");
    const writes = [...grants(w)].filter(([, verbs]) => [...verbs].some((v) => !["get", "list", "watch"].includes(v))).map(([res]) => res);
    expect(writes).toEqual([`${GROUP}/toolapprovalrequests`, `${GROUP}/a2atasks`, `${GROUP}/a2atasks/status`]);
    expect(can(w, "create", `${GROUP}/toolapprovalrequests`) && !can(w, "update", `${GROUP}/toolapprovalrequests`)).toBe(true);
    expect(can(w, "create", `${GROUP}/a2atasks`) && can(w, "patch", `${GROUP}/a2atasks/status`) && !can(w, "delete", `${GROUP}/a2atasks`)).toBe(true);
    for (const kind of ["queries", "agents", "teams", "models", "tools", "mcpservers", "memories"]) expect(can(w, "get", `${GROUP}/${kind}`), kind).toBe(true);
    for (const kind of ["agents", "teams", "models", "tools", "mcpservers", "memories"]) expect(can(w, "watch", `${GROUP}/${kind}`), kind).toBe(true);
    expect(can(w, "list", `${GROUP}/referencegrants`)).toBe(true);
    for (const core of ["secrets", "configmaps", "services"]) expect(can(w, "get", `/${core}`) && can(w, "watch", `/${core}`)).toBe(true);
  });

  it("ark-api: CRUD on every ARK kind, reads namespaces and Events cluster-wide, no status writes but approval decisions, no Secrets", () => {
    const a = role("ClusterRole", "ark-system-ark-api");
    for (const plural of arkPlurals) for (const verb of ["get", "list", "create", "update", "delete"]) expect(can(a, verb, `${GROUP}/${plural}`), `${verb} ${plural}`).toBe(true);
    expect(can(a, "patch", `${GROUP}/queries`) && can(a, "list", "/namespaces") && can(a, "list", "/events")).toBe(true);
    expect([...grants(a).keys()].filter((k) => k.endsWith("/status"))).toEqual([`${GROUP}/toolapprovalrequests/status`]);
    expect(grants(a).has("/secrets")).toBe(false);
  });

  it("ark-api writes Secrets only in its key namespace and the secretNamespaces, never in kube-system", () => {
    const secretRoles = roles.filter((r) => grants(r).has("/secrets") && /^ark-api-(keys|secrets)$/.test(r.metadata.name));
    expect(secretRoles.map((r) => `${r.kind} ${r.metadata.namespace}/${r.metadata.name}`).sort()).toEqual(["Role ark-system/ark-api-keys", "Role default/ark-api-secrets"]);
    const elsewhere = renderArk({ "ark-api": { secretNamespaces: ["team-a", "team-b"] } }).filter((m) => m.kind === "Role" && m.metadata.name === "ark-api-secrets");
    expect(elsewhere.map((m) => m.metadata.namespace)).toEqual(["team-a", "team-b"]);
    for (const ns of ["kube-system", "kube-public", "kube-node-lease"]) {
      expect(() => renderArk({ "ark-api": { secretNamespaces: ["default", ns] } })).toThrow(`ark-api must not manage Secrets in ${ns}`);
    }
    expect(() => toManifests(renderChart(arkChart(), { values: {}, release: { name: "ark", namespace: "kube-system" } }))).toThrow(/must not be kube-system/);
  });

  it("ark-api creates namespaces only when rbacCreateNamespaces is on", () => {
    const defaults = renderArk({}).find((m) => m.kind === "ClusterRole" && m.metadata.name === "ark-system-ark-api") as RoleManifest;
    expect(can(defaults, "create", "/namespaces")).toBe(false);
    expect(can(role("ClusterRole", "ark-system-ark-api"), "create", "/namespaces")).toBe(true);
  });

  it("ark-mcp: reads what it lists, creates and cancels Queries, decides tool approvals only", () => {
    const m = role("ClusterRole", "ark-system-ark-mcp");
    const writes = [...grants(m)]
      .filter(([, verbs]) => [...verbs].some((v) => !["get", "list", "watch"].includes(v)))
      .map(
        ([res, verbs]) =>
          `${res}:${[...verbs]
            .filter((v) => !["get", "list", "watch"].includes(v))
            .sort()
            .join(",")}`,
      );
    expect(writes).toEqual([`${GROUP}/queries:create,patch`, `${GROUP}/toolapprovalrequests/status:update`]);
  });

  it("evaluator-llm: reads the judge Model, its value sources and Queries; writes nothing", () => {
    const m = role("ClusterRole", "ark-system-evaluator-llm");
    expect([...grants(m)].every(([, verbs]) => [...verbs].every((v) => v === "get"))).toBe(true);
    expect([...grants(m)].map(([res]) => res).sort()).toEqual(["/configmaps", "/secrets", "/services", `${GROUP}/models`, `${GROUP}/queries`]);
  });

  it("ark-api-a2a: watches Agents and Teams, creates and cancels Queries, answers tool approvals only, reads key Secrets only in its namespace", () => {
    const a2a = role("ClusterRole", "ark-system-ark-api-a2a");
    const writes = [...grants(a2a)]
      .filter(([, verbs]) => [...verbs].some((v) => !["get", "list", "watch"].includes(v)))
      .map(
        ([res, verbs]) =>
          `${res}:${[...verbs]
            .filter((v) => !["get", "list", "watch"].includes(v))
            .sort()
            .join(",")}`,
      );
    expect(writes).toEqual([`${GROUP}/queries:create,patch`, `${GROUP}/toolapprovalrequests/status:update`]);
    expect(can(a2a, "watch", `${GROUP}/agents`) && can(a2a, "watch", `${GROUP}/teams`)).toBe(true);
    expect(can(a2a, "get", "/secrets")).toBe(false);
    expect(can(role("Role", "ark-api-a2a-keys"), "get", "/secrets")).toBe(true);
  });

  it("services that never call the API get no role and no token", () => {
    for (const name of ["postgres-memory", "filesys-mcp", "localhost-gateway", "ark-apiserver", "executor-langchain"]) {
      expect(roles.filter((r) => r.metadata.name.includes(name))).toEqual([]);
      const sa = manifests.find((m) => m.kind === "ServiceAccount" && m.metadata.name === name) as Manifest & { automountServiceAccountToken: boolean };
      expect(sa.automountServiceAccountToken, name).toBe(false);
    }
  });
});
