import { describe, expect, it } from "vitest";
import { fakeResource, fixtureResources } from "../test-support/resource-fixtures.js";
import { aggregatedDiscovery, apiGroupList, apiResourceList, legacyApiVersions, negotiateDiscovery, versionInfo } from "./index.js";
import { compareVersionPriority } from "./version-order.js";

const AGG = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

describe("legacy discovery", () => {
  it("serves the core versions", () => {
    expect(legacyApiVersions()).toEqual({ kind: "APIVersions", versions: ["v1"] });
  });

  it("lists named groups with the kube-preferred version first", () => {
    expect(apiGroupList(fixtureResources)).toEqual({
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: [
        {
          name: "ark.mckinsey.com",
          versions: [
            { groupVersion: "ark.mckinsey.com/v1alpha1", version: "v1alpha1" },
            { groupVersion: "ark.mckinsey.com/v1prealpha1", version: "v1prealpha1" },
          ],
          preferredVersion: { groupVersion: "ark.mckinsey.com/v1alpha1", version: "v1alpha1" },
        },
        {
          name: "coordination.k8s.io",
          versions: [{ groupVersion: "coordination.k8s.io/v1", version: "v1" }],
          preferredVersion: { groupVersion: "coordination.k8s.io/v1", version: "v1" },
        },
      ],
    });
  });

  it("lists a group version's resources with their status subresource", () => {
    expect(apiResourceList(fixtureResources, "ark.mckinsey.com/v1alpha1")).toEqual({
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: "ark.mckinsey.com/v1alpha1",
      resources: [
        {
          name: "agents",
          singularName: "agent",
          namespaced: true,
          kind: "Agent",
          verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
          shortNames: ["ag"],
        },
        { name: "agents/status", singularName: "", namespaced: true, kind: "Agent", verbs: ["get", "patch", "update"] },
      ],
    });
  });

  it("serves the core group at v1 and nothing for an unknown group version", () => {
    const core = apiResourceList(fixtureResources, "v1") as { resources: { name: string; namespaced: boolean }[] };
    expect(core.resources.map((r) => [r.name, r.namespaced])).toEqual([
      ["secrets", true],
      ["namespaces", false],
    ]);
    expect(apiResourceList(fixtureResources, "example.com/v1")).toBeUndefined();
  });
});

describe("aggregated discovery", () => {
  it("describes every named group in one document", () => {
    const doc = aggregatedDiscovery(fixtureResources, "apis") as { apiVersion: string; items: { metadata: { name: string }; versions: { version: string; resources: Record<string, unknown>[] }[] }[] };
    expect(doc.apiVersion).toBe("apidiscovery.k8s.io/v2");
    expect(doc.items.map((i) => [i.metadata.name, i.versions.map((v) => v.version)])).toEqual([
      ["ark.mckinsey.com", ["v1alpha1", "v1prealpha1"]],
      ["coordination.k8s.io", ["v1"]],
    ]);
    expect(doc.items[0]?.versions[0]?.resources[0]).toEqual({
      resource: "agents",
      responseKind: { group: "ark.mckinsey.com", version: "v1alpha1", kind: "Agent" },
      scope: "Namespaced",
      singularResource: "agent",
      verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
      shortNames: ["ag"],
      subresources: [{ subresource: "status", responseKind: { group: "ark.mckinsey.com", version: "v1alpha1", kind: "Agent" }, verbs: ["get", "patch", "update"] }],
    });
  });

  it("advertises categories (kubectl get all), in aggregated and legacy discovery", () => {
    const services = fakeResource({ group: "", version: "v1", kind: "Service", plural: "services", categories: ["all"] });
    const core = aggregatedDiscovery([services, ...fixtureResources], "core") as { items: { versions: { resources: Record<string, unknown>[] }[] }[] };
    const resources = core.items[0]!.versions[0]!.resources;
    expect(resources.find((r) => r.resource === "services")?.categories).toEqual(["all"]);
    expect(resources.find((r) => r.resource === "secrets")).not.toHaveProperty("categories");
    const legacy = apiResourceList([services], "v1") as { resources: Record<string, unknown>[] };
    expect(legacy.resources[0]?.categories).toEqual(["all"]);
  });

  it("puts the core group, unnamed, under /api", () => {
    const doc = aggregatedDiscovery(fixtureResources, "core", "v2beta1") as { apiVersion: string; items: { metadata: Record<string, unknown>; versions: { resources: { resource: string; scope: string }[] }[] }[] };
    expect(doc.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0]?.metadata.name).toBeUndefined();
    expect(doc.items[0]?.versions[0]?.resources.map((r) => [r.resource, r.scope])).toEqual([
      ["secrets", "Namespaced"],
      ["namespaces", "Cluster"],
    ]);
  });
});

describe("negotiateDiscovery", () => {
  it("picks aggregated v2 for kubectl's Accept header", () => {
    expect(negotiateDiscovery(AGG)).toEqual({
      aggregated: true,
      version: "v2",
      contentType: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    });
  });

  it("honours a client that only knows v2beta1", () => {
    expect(negotiateDiscovery("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList, application/json")).toMatchObject({
      aggregated: true,
      version: "v2beta1",
    });
  });

  it("falls back to legacy discovery for plain JSON", () => {
    expect(negotiateDiscovery("application/json, */*")).toEqual({ aggregated: false, contentType: "application/json" });
    expect(negotiateDiscovery(undefined)).toEqual({ aggregated: false, contentType: "application/json" });
  });
});

describe("version priority", () => {
  it("orders like Kubernetes", () => {
    expect(["v1prealpha1", "v1alpha1", "v1", "v2beta1", "v1beta2", "foo"].sort(compareVersionPriority)).toEqual(["v1", "v2beta1", "v1beta2", "v1alpha1", "foo", "v1prealpha1"]);
  });
});

describe("versionInfo", () => {
  it("reports a Kubernetes 1.32 server", () => {
    expect(versionInfo()).toMatchObject({ major: "1", minor: "32", gitVersion: expect.stringMatching(/^v1\.32\.\d+/) });
  });
});
