import { testPostgres } from "@ark/testing/vitest";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { useApiServerSuite } from "../test-support/api-server.js";
import { AGENTS, agent, agentCalls, type AgentObject, clientsFor, GROUP, mergePatch, statusOf, VERSION } from "../test-support/clients.js";

describe.skipIf(!testPostgres())("Kubernetes rules on names, protected namespaces and foreground deletion", () => {
  const suite = useApiServerSuite("apiserver-rules");
  let api: ReturnType<typeof clientsFor>;
  beforeAll(() => {
    api = clientsFor(suite.server.kubeConfig());
  });

  const { create, get } = agentCalls(() => api);

  it("refuses a NUL or control character in a name, namespace or label with a Status naming the field", async () => {
    const inBody = await statusOf(create(agent("a\u0000b")));
    expect(inBody.code).toBe(422);
    expect(inBody.body.details.causes).toEqual([expect.objectContaining({ field: "metadata.name", reason: "FieldValueInvalid" })]);

    const secret = await statusOf(api.core.createNamespacedSecret({ namespace: "default", body: { metadata: { name: "s\u0000" } } }));
    expect(secret.code).toBe(422);
    expect(secret.body.details.causes[0].field).toBe("metadata.name");

    for (const call of [get("x\u0000y"), api.core.readNamespacedConfigMap({ namespace: "default", name: "x\u0000" })]) {
      const inUrl = await statusOf(call);
      expect(inUrl.code).toBe(422);
      expect(inUrl.body.details.causes).toEqual([expect.objectContaining({ field: "metadata.name" })]);
    }
    const namespaceInUrl = await statusOf(api.core.listNamespacedConfigMap({ namespace: "de\u0000fault" }));
    expect(namespaceInUrl.code).toBe(422);
    expect(namespaceInUrl.body.details.causes[0].field).toBe("metadata.namespace");

    const label = await statusOf(create(agent("labelled", {}, { labels: { tier: "a\u0000b" } })));
    expect(label.code).toBe(422);
    expect(label.body.details.causes[0].field).toBe("metadata.labels");
    const badKey = await statusOf(api.core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "cm", labels: { "bad key": "x" } } } }));
    expect(badKey.code).toBe(422);
    expect(badKey.body.message).toContain('metadata.labels: Invalid value: "bad key"');

    const ownerUid = await statusOf(create(agent("owned", {}, { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "x", uid: "u\u0000" }] })));
    expect(ownerUid.code).toBe(400);
    expect(ownerUid.body.message).toContain("metadata.ownerReferences[0].uid");

    const selector = await statusOf(api.custom.listNamespacedCustomObject({ ...AGENTS, namespace: "default", labelSelector: "tier=a\u0000b" }));
    expect(selector.code).toBe(400);
    expect(selector.body.message).toContain("unable to parse requirement");
  });

  it("refuses to delete the default, kube-system and kube-public namespaces", async () => {
    for (const name of ["default", "kube-system", "kube-public"]) {
      const refused = await statusOf(api.core.deleteNamespace({ name }));
      expect(refused.code).toBe(403);
      expect(refused.body).toMatchObject({ reason: "Forbidden", message: `namespaces "${name}" is forbidden: this namespace may not be deleted` });
    }
    expect((await api.core.readNamespace({ name: "default" })).metadata?.deletionTimestamp).toBeUndefined();
  });

  it("deletes in the foreground: the owner waits, marked, until its blocking dependents are gone", async () => {
    const owner = await create(agent("fg-owner"));
    const ownerRef = { apiVersion: `${GROUP}/${VERSION}`, kind: "Agent", name: "fg-owner", uid: owner.metadata.uid!, blockOwnerDeletion: true };
    await create(agent("fg-child", {}, { ownerReferences: [ownerRef], finalizers: ["example.com/hold"] }));
    await create(agent("fg-loose", {}, { ownerReferences: [{ ...ownerRef, blockOwnerDeletion: false }] }));

    const deleting = (await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "fg-owner", propagationPolicy: "Foreground" })) as AgentObject;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.metadata.finalizers).toEqual(["foregroundDeletion"]);

    // The dependents are being deleted; the held one keeps the owner.
    await expect.poll(async () => (await get("fg-child")).metadata.deletionTimestamp, { timeout: 10_000 }).toBeTruthy();
    await expect.poll(async () => (await statusOf(get("fg-loose")).catch(() => undefined))?.code, { timeout: 10_000 }).toBe(404);
    const waiting = await get("fg-owner");
    expect(waiting.metadata.finalizers).toEqual(["foregroundDeletion"]);

    await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "fg-child", body: { metadata: { finalizers: null } } }, mergePatch);
    await expect.poll(async () => (await statusOf(get("fg-owner")).catch(() => undefined))?.code, { timeout: 10_000 }).toBe(404);
  });

  it("deletes an owner without dependents in the foreground at once (after the collector's pass)", async () => {
    await create(agent("fg-alone", {}, { finalizers: ["example.com/keep"] }));
    const deleting = (await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "fg-alone", propagationPolicy: "Foreground" })) as AgentObject;
    expect(deleting.metadata.finalizers).toEqual(["example.com/keep", "foregroundDeletion"]);
    // The collector drops its own finalizer; the other one still holds the object.
    const held = await vi.waitFor(
      async () => {
        const current = await get("fg-alone");
        expect(current.metadata.finalizers).not.toContain("foregroundDeletion");
        return current;
      },
      { timeout: 10_000 },
    );
    expect(held.metadata.finalizers).toEqual(["example.com/keep"]);
    expect(held.metadata.deletionTimestamp).toBeDefined();
  });
});
