import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireEvents } from "../gc/event-expiry.js";
import { startApiServerForTest, type TestApiServer } from "../test-support/api-server.js";
import { AGENTS, agent, clientsFor, statusOf } from "../test-support/clients.js";

describe.skipIf(!testPostgres())("object quotas", () => {
  let db: TestDatabase;
  let home: string;
  let server: TestApiServer;
  let api: ReturnType<typeof clientsFor>;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "apiserver-object-quota" });
    home = await mkdtemp(join(tmpdir(), "ark-apiserver-"));
    server = await startApiServerForTest({
      databaseUrl: db.url,
      arkHome: home,
      env: { ARK_APISERVER_MAX_OBJECTS_PER_NAMESPACE: "5", ARK_APISERVER_MAX_OBJECTS_PER_KIND: "8", ARK_APISERVER_MAX_EVENTS_PER_NAMESPACE: "3" },
    });
    api = clientsFor(server.kubeConfig());
    for (const name of ["quota-a", "quota-b", "quota-c", "quota-d"]) await api.core.createNamespace({ body: { metadata: { name } } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const configMap = (namespace: string, name: string, dryRun?: string) => api.core.createNamespacedConfigMap({ namespace, body: { metadata: { name } }, ...(dryRun ? { dryRun } : {}) });
  const event = (namespace: string, name: string) =>
    api.core.createNamespacedEvent({ namespace, body: { metadata: { name }, involvedObject: { kind: "ConfigMap", name: "a1", namespace }, reason: "Test", message: "m" } });

  it("refuses an object beyond the namespace's cap with 403 exceeded quota, stores nothing, and counts Events apart", async () => {
    for (const name of ["a1", "a2", "a3"]) await configMap("quota-a", name);
    for (const name of ["a4", "a5"]) await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "quota-a", body: agent(name) });

    const refused = await statusOf(configMap("quota-a", "a6"));
    expect(refused.code).toBe(403);
    expect(refused.body).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Forbidden",
      code: 403,
      message: 'configmaps "a6" is forbidden: exceeded quota: ARK_APISERVER_MAX_OBJECTS_PER_NAMESPACE, requested: count/objects=1, used: count/objects=5, limited: count/objects=5',
    });
    expect((await statusOf(api.core.readNamespacedConfigMap({ namespace: "quota-a", name: "a6" }))).code).toBe(404);
    // A dry run and a server-side apply that would create are refused too.
    expect((await statusOf(configMap("quota-a", "a7", "All"))).code).toBe(403);
    const apply = await statusOf(
      api.core.patchNamespacedConfigMap(
        { namespace: "quota-a", name: "a8", body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a8" } }, fieldManager: "test" },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply),
      ),
    );
    expect(apply.code).toBe(403);

    // Events have their own cap: the full namespace takes them.
    for (const name of ["e1", "e2", "e3"]) await event("quota-a", name);

    // Updates of existing objects go on; a delete frees a place.
    await api.core.replaceNamespacedConfigMap({ namespace: "quota-a", name: "a1", body: { metadata: { name: "a1" }, data: { k: "v" } } });
    await api.core.deleteNamespacedConfigMap({ namespace: "quota-a", name: "a1" });
    await expect.poll(() => configMap("quota-a", "a6").catch(() => undefined), { timeout: 10_000 }).toBeDefined();
  });

  it("refuses an object beyond the kind's cap across namespaces", async () => {
    // quota-a holds 3 ConfigMaps; 5 more fill the kind's 8.
    for (let i = 0; i < 5; i++) await configMap("quota-b", `b${i}`);
    const refused = await statusOf(configMap("quota-c", "c0"));
    expect(refused.code).toBe(403);
    expect(refused.body.message).toBe('configmaps "c0" is forbidden: exceeded quota: ARK_APISERVER_MAX_OBJECTS_PER_KIND, requested: count/configmaps=1, used: count/configmaps=8, limited: count/configmaps=8');
    // Other kinds in that namespace are fine.
    await api.core.createNamespacedSecret({ namespace: "quota-c", body: { metadata: { name: "c0" } } });
  });

  it("holds the cap under concurrent creates", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "quota-d", body: agent(`d${i}`) }).then(
          () => 201,
          (err: k8s.ApiException<unknown>) => err.code,
        ),
      ),
    );
    expect(outcomes.filter((c) => c === 201)).toHaveLength(5);
    expect(outcomes.filter((c) => c === 403)).toHaveLength(5);
    const listed = (await api.custom.listNamespacedCustomObject({ ...AGENTS, namespace: "quota-d" })) as { items: unknown[] };
    expect(listed.items).toHaveLength(5);
  });

  const eventNames = async (namespace: string) => (await api.core.listNamespacedEvent({ namespace })).items.map((e) => e.metadata?.name).sort();

  it("expires Events an hour after their last activity: they leave the list of Events", async () => {
    // quota-a holds e1..e3 (full); quota-c gets one a recorder keeps bumping.
    const later = new Date(Date.now() + 2 * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
    await api.core.createNamespacedEvent({
      namespace: "quota-c",
      body: { metadata: { name: "bumped" }, involvedObject: { kind: "Secret", name: "c0", namespace: "quota-c" }, reason: "Test", message: "m", lastTimestamp: later as unknown as Date },
    });
    await expect.poll(() => server.server.context.cache.count("", "events", "quota-c"), { timeout: 10_000 }).toBe(1);
    const { cache, store } = server.server.context;
    const expired = await expireEvents(cache, store, 3600_000, Date.now() + 61 * 60_000);
    expect(expired).toBe(3);
    for (const name of ["e1", "e2", "e3"]) expect((await statusOf(api.core.readNamespacedEvent({ namespace: "quota-a", name }))).code).toBe(404);
    await expect.poll(() => eventNames("quota-a"), { timeout: 10_000 }).toEqual([]);
    expect(await eventNames("quota-c")).toEqual(["bumped"]);
  });

  it("takes every Event at a full Events cap (namespace or kind): the newest is stored and the least recently written goes", async () => {
    await api.core.createNamespace({ body: { metadata: { name: "quota-events" } } });
    for (const name of ["e1", "e2", "e3"]) await event("quota-events", name);
    // A recorder bumps e1: it is no longer the least recently written.
    await api.core.patchNamespacedEvent({ namespace: "quota-events", name: "e1", body: { count: 2 } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
    expect((await event("quota-events", "e4")).metadata?.name).toBe("e4");
    expect(await eventNames("quota-events")).toEqual(["e1", "e3", "e4"]);
    // A create that fails makes no room.
    expect((await statusOf(event("quota-events", "e3"))).code).toBe(409);
    expect(await eventNames("quota-events")).toEqual(["e1", "e3", "e4"]);
    await expect.poll(() => server.server.context.cache.count("", "events", "quota-events"), { timeout: 10_000 }).toBe(3);

    // A burst at the cap is taken whole; the next Event brings the namespace back to its cap.
    const burst = await Promise.all(Array.from({ length: 4 }, (_, i) => event("quota-events", `b${i}`)));
    const newest = Math.max(...burst.map((e) => Number(e.metadata?.resourceVersion)));
    await expect.poll(() => server.server.context.cache.position, { timeout: 10_000 }).toBeGreaterThanOrEqual(newest);
    await event("quota-events", "last");
    const kept = await eventNames("quota-events");
    expect(kept).toHaveLength(3);
    expect(kept).toContain("last");

    // The kind's cap (8) is served the same way, across namespaces: quota-c's old Event goes.
    for (const name of ["k1", "k2", "k3"]) await event("quota-b", name);
    await event("quota-d", "k1");
    expect(await eventNames("quota-c")).toEqual(["bumped"]);
    await event("quota-d", "k2");
    expect(await eventNames("quota-c")).toEqual([]);
    expect(await eventNames("quota-b")).toEqual(["k1", "k2", "k3"]);
    expect(await eventNames("quota-d")).toEqual(["k1", "k2"]);
  });
});
