import { describe, expect, it } from "vitest";
import { groupVersion } from "../resource-type.js";
import { findResource, findResourceByKind, servedResources } from "./index.js";

describe("servedResources", () => {
  it("serves every ARK kind and the built-ins", () => {
    const names = servedResources().map((r) => `${r.plural}.${groupVersion(r)}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "models.ark.mckinsey.com/v1alpha1",
        "agents.ark.mckinsey.com/v1alpha1",
        "teams.ark.mckinsey.com/v1alpha1",
        "queries.ark.mckinsey.com/v1alpha1",
        "tools.ark.mckinsey.com/v1alpha1",
        "mcpservers.ark.mckinsey.com/v1alpha1",
        "memories.ark.mckinsey.com/v1alpha1",
        "evaluators.ark.mckinsey.com/v1alpha1",
        "evaluations.ark.mckinsey.com/v1alpha1",
        "executionengines.ark.mckinsey.com/v1prealpha1",
        "a2aservers.ark.mckinsey.com/v1prealpha1",
        "referencegrants.ark.mckinsey.com/v1alpha1",
        "toolapprovalrequests.ark.mckinsey.com/v1alpha1",
        "a2atasks.ark.mckinsey.com/v1alpha1",
        "secrets.v1",
        "configmaps.v1",
        "namespaces.v1",
        "events.v1",
        "services.v1",
        "events.events.k8s.io/v1",
        "leases.coordination.k8s.io/v1",
        "serviceaccounts.v1",
        "roles.rbac.authorization.k8s.io/v1",
        "clusterroles.rbac.authorization.k8s.io/v1",
        "rolebindings.rbac.authorization.k8s.io/v1",
        "clusterrolebindings.rbac.authorization.k8s.io/v1",
        "selfsubjectaccessreviews.authorization.k8s.io/v1",
        "subjectaccessreviews.authorization.k8s.io/v1",
        "localsubjectaccessreviews.authorization.k8s.io/v1",
        "selfsubjectrulesreviews.authorization.k8s.io/v1",
        "tokenreviews.authentication.k8s.io/v1",
        "selfsubjectreviews.authentication.k8s.io/v1",
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it("returns the same array every time (callers cache per array)", () => {
    expect(servedResources()).toBe(servedResources());
  });

  it("gives ARK kinds a status subresource and a structural schema with spec", () => {
    const agent = findResource("ark.mckinsey.com", "v1alpha1", "agents");
    expect(agent).toMatchObject({ kind: "Agent", listKind: "AgentList", namespaced: true, statusSubresource: true });
    expect((agent!.openAPISchema.properties as Record<string, unknown>).spec).toMatchObject({ type: "object" });
  });

  it("keeps Namespace, the cluster RBAC kinds and the reviews cluster-scoped and the rest namespaced", () => {
    const clusterScoped = servedResources()
      .filter((r) => !r.namespaced)
      .map((r) => r.kind);
    expect(clusterScoped).toEqual(["Namespace", "ClusterRole", "ClusterRoleBinding", "SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview", "TokenReview", "SelfSubjectReview"]);
  });

  it("gives every built-in a schema with its kind's fields", () => {
    const secret = findResource("", "v1", "secrets");
    expect(Object.keys(secret?.openAPISchema.properties as object)).toEqual(expect.arrayContaining(["apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable"]));
    expect(findResource("coordination.k8s.io", "v1", "leases")?.printerColumns.map((c) => c.name)).toEqual(["Holder", "Age"]);
  });
});

describe("findResource", () => {
  it("finds by plural, singular and short name", () => {
    expect(findResource("", "v1", "configmaps")?.kind).toBe("ConfigMap");
    expect(findResource("", "v1", "configmap")?.kind).toBe("ConfigMap");
    expect(findResource("", "v1", "cm")?.kind).toBe("ConfigMap");
    expect(findResource("", "v1", "ns")?.kind).toBe("Namespace");
  });

  it("respects the group version", () => {
    expect(findResource("ark.mckinsey.com", "v1alpha1", "executionengines")).toBeUndefined();
    expect(findResource("ark.mckinsey.com", "v1prealpha1", "executionengines")?.kind).toBe("ExecutionEngine");
    expect(findResource("events.k8s.io", "v1", "events")?.group).toBe("events.k8s.io");
    expect(findResource("", "v1", "pods")).toBeUndefined();
  });

  it("finds by kind", () => {
    expect(findResourceByKind("ark.mckinsey.com", "v1alpha1", "Query")?.plural).toBe("queries");
    expect(findResourceByKind("", "v1", "Secret")?.plural).toBe("secrets");
  });
});
