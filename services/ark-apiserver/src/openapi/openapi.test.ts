import { describe, expect, it } from "vitest";
import { agents, fixtureResources, namespaces } from "../test-support/resource-fixtures.js";
import { openApiV3GroupDoc, openApiV3Root } from "./index.js";

type Operation = { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, unknown> }; "x-kubernetes-group-version-kind"?: unknown };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Record<string, unknown>> } };

const doc = (gv: string) => openApiV3GroupDoc(fixtureResources, gv) as Doc;

describe("openApiV3Root", () => {
  it("points at one document per group version, with a stable content hash", () => {
    const root = openApiV3Root(fixtureResources);
    expect(Object.keys(root.paths).sort()).toEqual(["api/v1", "apis/ark.mckinsey.com/v1alpha1", "apis/ark.mckinsey.com/v1prealpha1", "apis/coordination.k8s.io/v1"]);
    expect(root.paths["apis/ark.mckinsey.com/v1alpha1"]?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/ark\.mckinsey\.com\/v1alpha1\?hash=[0-9A-F]{128}$/);
    expect(openApiV3Root([...fixtureResources])).toEqual(root);
    const changed = openApiV3Root([{ ...agents, openAPISchema: { type: "object" } }]);
    expect(changed.paths["apis/ark.mckinsey.com/v1alpha1"]).not.toEqual(root.paths["apis/ark.mckinsey.com/v1alpha1"]);
  });
});

describe("openApiV3GroupDoc", () => {
  it("declares fieldValidation on the PATCH of every kind, tagged with its GVK (what kubectl checks)", () => {
    const d = doc("ark.mckinsey.com/v1alpha1");
    expect(d.openapi).toBe("3.0.0");
    const patch = d.paths["/apis/ark.mckinsey.com/v1alpha1/namespaces/{namespace}/agents/{name}"]?.patch;
    expect(patch?.["x-kubernetes-group-version-kind"]).toEqual({ group: "ark.mckinsey.com", version: "v1alpha1", kind: "Agent" });
    expect(patch?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "fieldValidation", in: "query" })]));
    const post = d.paths["/apis/ark.mckinsey.com/v1alpha1/namespaces/{namespace}/agents"]?.post;
    expect(post?.parameters?.map((p) => p.name)).toEqual(["dryRun", "fieldManager", "fieldValidation"]);
  });

  it("offers strategic merge patch for built-ins only, so kubectl apply merge-patches ARK kinds", () => {
    const arkPatch = doc("ark.mckinsey.com/v1alpha1").paths["/apis/ark.mckinsey.com/v1alpha1/namespaces/{namespace}/agents/{name}"]?.patch;
    expect(Object.keys(arkPatch?.requestBody?.content ?? {})).not.toContain("application/strategic-merge-patch+json");
    const secretPatch = doc("v1").paths["/api/v1/namespaces/{namespace}/secrets/{name}"]?.patch;
    expect(Object.keys(secretPatch?.requestBody?.content ?? {})).toContain("application/strategic-merge-patch+json");
  });

  it("has collection, item, all-namespaces and status paths", () => {
    expect(Object.keys(doc("ark.mckinsey.com/v1alpha1").paths).sort()).toEqual([
      "/apis/ark.mckinsey.com/v1alpha1/agents",
      "/apis/ark.mckinsey.com/v1alpha1/namespaces/{namespace}/agents",
      "/apis/ark.mckinsey.com/v1alpha1/namespaces/{namespace}/agents/{name}",
      "/apis/ark.mckinsey.com/v1alpha1/namespaces/{namespace}/agents/{name}/status",
    ]);
    const core = openApiV3GroupDoc([namespaces], "v1") as Doc;
    expect(Object.keys(core.paths).sort()).toEqual(["/api/v1/namespaces", "/api/v1/namespaces/{name}"]);
  });

  it("names schemas as Kubernetes does and references ObjectMeta", () => {
    const schemas = doc("ark.mckinsey.com/v1alpha1").components.schemas;
    const agent = schemas["com.mckinsey.ark.v1alpha1.Agent"];
    expect(agent?.["x-kubernetes-group-version-kind"]).toEqual([{ group: "ark.mckinsey.com", version: "v1alpha1", kind: "Agent" }]);
    expect((agent!.properties as Record<string, unknown>).metadata).toMatchObject({
      allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }],
    });
    expect(schemas["com.mckinsey.ark.v1alpha1.AgentList"]).toBeDefined();
    expect(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]).toBeDefined();
    expect(Object.keys(doc("v1").components.schemas)).toContain("io.k8s.api.core.v1.Secret");
    expect(Object.keys(doc("coordination.k8s.io/v1").components.schemas)).toContain("io.k8s.api.coordination.v1.Lease");
  });

  it("resolves every $ref it contains", () => {
    for (const gv of ["v1", "ark.mckinsey.com/v1alpha1"]) {
      const d = doc(gv);
      const refs = [...JSON.stringify(d).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(refs.length).toBeGreaterThan(0);
      for (const r of refs) expect(d.components.schemas).toHaveProperty([r]);
    }
  });

  it("is undefined for a group version that is not served", () => {
    expect(openApiV3GroupDoc(fixtureResources, "example.com/v1")).toBeUndefined();
  });
});

describe("the served resources' documents", () => {
  it("let kubectl hand validation to the server for every served kind", async () => {
    const { servedResources } = await import("../resources/index.js");
    const resources = servedResources();
    const root = openApiV3Root(resources);
    const docs = new Map<string, Doc>();
    // Every kind that can be patched (the review kinds are only ever created).
    for (const r of resources.filter((r) => r.verbs.includes("patch"))) {
      const gv = r.group === "" ? r.version : `${r.group}/${r.version}`;
      expect(root.paths[r.group === "" ? `api/${gv}` : `apis/${gv}`]).toBeDefined();
      let d = docs.get(gv);
      if (!d) {
        d = openApiV3GroupDoc(resources, gv) as Doc;
        docs.set(gv, d);
        const refs = new Set([...JSON.stringify(d).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? ""));
        expect(
          [...refs].filter((ref) => !(ref in d!.components.schemas)),
          gv,
        ).toEqual([]);
      }
      const patches = Object.values(d.paths)
        .map((p) => p.patch)
        .filter((op) => JSON.stringify(op?.["x-kubernetes-group-version-kind"]) === JSON.stringify({ group: r.group, version: r.version, kind: r.kind }));
      expect(patches.length, `${r.kind} ${gv}`).toBeGreaterThan(0);
      for (const op of patches) expect(op?.parameters?.map((p) => p.name)).toContain("fieldValidation");
    }
  });
});
