import { testPostgres } from "@ark/testing/vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { useApiServerSuite } from "../test-support/api-server.js";
import { AGENTS, agent, agentCalls, type AgentObject, clientsFor, GROUP, mergePatch, statusOf, VERSION } from "../test-support/clients.js";

describe.skipIf(!testPostgres())("finalizers, garbage collection and namespace deletion", () => {
  const suite = useApiServerSuite("apiserver-gc");
  let api: ReturnType<typeof clientsFor>;
  beforeAll(() => {
    api = clientsFor(suite.server.kubeConfig());
  });

  const { create, get } = agentCalls(() => api);
  const statusCode = async (name: string, namespace = "default") => (await statusOf(get(name, namespace)).catch(() => undefined))?.code;
  const ownedBy = (owner: AgentObject) => ({
    ownerReferences: [{ apiVersion: `${GROUP}/${VERSION}`, kind: "Agent", name: owner.metadata.name!, uid: owner.metadata.uid! }],
  });

  it("keeps an object with finalizers until the last one is removed", async () => {
    await create(agent("fin", {}, { finalizers: ["ark.mckinsey.com/cleanup"] }));
    const deleting = (await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "fin" })) as AgentObject;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    const still = await get("fin");
    expect(still.metadata.deletionTimestamp).toBe(deleting.metadata.deletionTimestamp);
    expect(still.metadata.deletionGracePeriodSeconds).toBe(0);
    await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "fin", body: { metadata: { finalizers: null } } }, mergePatch);
    expect((await statusOf(get("fin"))).code).toBe(404);
  });

  it("collects dependents whose owner is deleted, in the background", async () => {
    const owner = await create(agent("owner"));
    await create(agent("child", {}, ownedBy(owner)));
    const child = await get("child");
    await create(agent("grandchild", {}, ownedBy(child)));
    await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "owner", propagationPolicy: "Background" });
    await expect.poll(() => statusCode("child"), { timeout: 10_000 }).toBe(404);
    await expect.poll(() => statusCode("grandchild"), { timeout: 10_000 }).toBe(404);
  });

  it("orphans dependents with propagationPolicy=Orphan", async () => {
    const owner = await create(agent("owner2"));
    await create(agent("kept", {}, ownedBy(owner)));
    await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "owner2", propagationPolicy: "Orphan" });
    const kept = await get("kept");
    expect(kept.metadata.ownerReferences).toBeUndefined();
  });

  it("deletes a collection by label selector", async () => {
    await create(agent("c1", {}, { labels: { batch: "x" } }));
    await create(agent("c2", {}, { labels: { batch: "x" } }));
    await create(agent("c3"));
    const deleted = (await api.custom.deleteCollectionNamespacedCustomObject({ ...AGENTS, namespace: "default", labelSelector: "batch=x" })) as {
      items: AgentObject[];
    };
    expect(deleted.items.map((i) => i.metadata.name)).toEqual(["c1", "c2"]);
    expect((await statusOf(get("c1"))).code).toBe(404);
    expect((await get("c3")).metadata.name).toBe("c3");
  });

  it("refuses to delete a namespaced kind across all namespaces (405), as Kubernetes: every tenant's objects stay", async () => {
    await create(agent("everywhere-1"));
    await api.core.createNamespace({ body: { metadata: { name: "other-tenant" } } });
    await create(agent("everywhere-2"), "other-tenant");
    expect((await statusOf(api.custom.deleteCollectionClusterCustomObject({ ...AGENTS }))).code).toBe(405);
    expect((await get("everywhere-1")).metadata.name).toBe("everywhere-1");
    expect((await get("everywhere-2", "other-tenant")).metadata.name).toBe("everywhere-2");
  });

  it("deletes a namespace's objects, then the namespace", async () => {
    await api.core.createNamespace({ body: { metadata: { name: "doomed" } } });
    await create(agent("inside"), "doomed");
    await api.core.createNamespacedSecret({ namespace: "doomed", body: { metadata: { name: "s" }, stringData: { a: "b" } } });
    const terminating = await api.core.deleteNamespace({ name: "doomed" });
    expect((terminating as { status?: { phase?: string } }).status?.phase).toBe("Terminating");
    await expect.poll(async () => (await statusOf(api.core.readNamespace({ name: "doomed" })).catch(() => undefined))?.code, { timeout: 10_000 }).toBe(404);
    expect((await statusOf(get("inside", "doomed"))).code).toBe(404);
    expect((await statusOf(api.core.readNamespacedSecret({ namespace: "doomed", name: "s" }))).code).toBe(404);
  });
});
