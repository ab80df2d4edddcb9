import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, type TestApiServer } from "../test-support/api-server.js";
import { AGENTS, agent, type AgentObject, clientsFor, GROUP, mergePatch, VERSION } from "../test-support/clients.js";

const PATH = `/apis/${GROUP}/${VERSION}/namespaces/default/agents`;

interface Event {
  type: string;
  object: Record<string, any>;
}

/** A client-node watch collecting its events until stopped. */
async function collect(kc: k8s.KubeConfig, params: Record<string, string | number | boolean | undefined>, path = PATH) {
  const events: Event[] = [];
  let ended: unknown = "running";
  const controller = await new k8s.Watch(kc).watch(
    path,
    params,
    (type, object) => events.push({ type, object }),
    (err) => (ended = err),
  );
  return { events, ended: () => ended, stop: () => controller.abort() };
}

describe.skipIf(!testPostgres())("watches and informers", () => {
  let db: TestDatabase;
  let home: string;
  let server: TestApiServer;
  let kc: k8s.KubeConfig;
  let api: ReturnType<typeof clientsFor>;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "apiserver-watch" });
    home = await mkdtemp(join(tmpdir(), "ark-apiserver-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: home, env: { WATCH_BOOKMARK_INTERVAL: "100ms" } });
    kc = server.kubeConfig();
    api = clientsFor(kc);
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const create = (body: AgentObject) => api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body }) as Promise<AgentObject>;
  const patchSpec = (name: string, spec: Record<string, unknown>) => api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name, body: { spec } }, mergePatch) as Promise<AgentObject>;
  const remove = (name: string) => api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name });
  const list = () => api.custom.listNamespacedCustomObject({ ...AGENTS, namespace: "default" }) as Promise<k8s.KubernetesListObject<AgentObject>>;

  it("feeds an informer adds, updates and deletes", async () => {
    await create(agent("before"));
    const informer = k8s.makeInformer<AgentObject>(kc, PATH, list);
    const seen: string[] = [];
    informer.on("add", (o) => seen.push(`add ${o.metadata.name}`));
    informer.on("update", (o) => seen.push(`update ${o.metadata.name} ${String(o.spec.prompt)}`));
    informer.on("delete", (o) => seen.push(`delete ${o.metadata.name}`));
    await informer.start();
    try {
      await create(agent("inf"));
      await patchSpec("inf", { prompt: "v2" });
      await remove("inf");
      await expect.poll(() => seen, { timeout: 10_000 }).toContain("delete inf");
      expect(seen).toEqual(["add before", "add inf", "update inf v2", "delete inf"]);
      expect(informer.list().map((o) => o.metadata.name)).toEqual(["before"]);
    } finally {
      await informer.stop();
    }
  });

  it("replays changes after a resourceVersion, and sends bookmarks when asked", async () => {
    const created = await create(agent("replay"));
    await patchSpec("replay", { prompt: "changed" });
    const watch = await collect(kc, { resourceVersion: created.metadata.resourceVersion, allowWatchBookmarks: true });
    try {
      await expect.poll(() => watch.events.map((e) => e.type), { timeout: 10_000 }).toContain("BOOKMARK");
      const first = watch.events[0]!;
      expect(first.type).toBe("MODIFIED");
      expect(first.object.spec.prompt).toBe("changed");
      const bookmark = watch.events.find((e) => e.type === "BOOKMARK")!;
      expect(bookmark.object).toEqual({ kind: "Agent", apiVersion: `${GROUP}/${VERSION}`, metadata: { resourceVersion: expect.any(String) } });
      expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(first.object.metadata.resourceVersion));
    } finally {
      watch.stop();
    }
  });

  it("turns a label change into ADDED/DELETED for a selector watch, and ends at timeoutSeconds", async () => {
    await create(agent("sel", {}, { labels: { tier: "a" } }));
    const watch = await collect(kc, { labelSelector: "tier=b", timeoutSeconds: 2 });
    const relabel = (tier: string) => api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "sel", body: { metadata: { labels: { tier } } } }, mergePatch);
    await relabel("b");
    await relabel("a");
    await expect.poll(() => watch.events.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata.labels.tier}`)).toEqual(["ADDED b", "DELETED a"]);
    await expect.poll(() => watch.ended(), { timeout: 10_000 }).toBeNull();
  });

  it("answers a watch from a pruned resourceVersion with 410 Expired, and the informer relists and recovers", async () => {
    const old = await create(agent("old"));
    for (let i = 0; i < 3; i++) await patchSpec("old", { prompt: `p${i}` });
    await server.server.context.changeLog.prune(1, 3600);
    const staleRv = old.metadata.resourceVersion!;

    const watch = await collect(kc, { resourceVersion: staleRv });
    await expect.poll(() => watch.ended(), { timeout: 10_000 }).not.toBe("running");
    expect(watch.events).toHaveLength(1);
    expect(watch.events[0]!.type).toBe("ERROR");
    expect(watch.events[0]!.object).toMatchObject({ kind: "Status", status: "Failure", reason: "Expired", code: 410 });
    expect(watch.events[0]!.object.message).toMatch(new RegExp(`^too old resource version: ${staleRv} \\(\\d+\\)$`));

    let lists = 0;
    const listStaleFirst = async () => {
      const result = await list();
      lists++;
      return lists === 1 ? { ...result, metadata: { ...result.metadata, resourceVersion: staleRv } } : result;
    };
    const informer = k8s.makeInformer<AgentObject>(kc, PATH, listStaleFirst);
    const added: string[] = [];
    informer.on("add", (o) => added.push(o.metadata.name!));
    await informer.start();
    try {
      await expect.poll(() => lists, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      await create(agent("after-relist"));
      await expect.poll(() => added, { timeout: 10_000 }).toContain("after-relist");
      expect(informer.get("old", "default")?.spec.prompt).toBe("p2");
    } finally {
      await informer.stop();
    }
  });

  it("replays more changes than one read of the log holds, each once and in order", { timeout: 90_000 }, async () => {
    const core = api.core;
    const from = (await core.listNamespacedConfigMap({ namespace: "default" })).metadata!.resourceVersion!;
    const names = Array.from({ length: 520 }, (_, i) => `paged-${String(i).padStart(4, "0")}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name } } })));
    }
    const watch = await collect(kc, { resourceVersion: from }, "/api/v1/namespaces/default/configmaps");
    try {
      await expect.poll(() => watch.events.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(names.length);
      const rvs = watch.events.map((e) => Number(e.object.metadata.resourceVersion));
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
      expect(watch.events.map((e) => e.object.metadata.name).sort()).toEqual(names);
      expect(new Set(watch.events.map((e) => e.type))).toEqual(new Set(["ADDED"]));
    } finally {
      watch.stop();
    }
  });

  it("shows one server's writes to another server's watches on the same database, and keeps objects across a restart", async () => {
    const otherHome = await mkdtemp(join(tmpdir(), "ark-apiserver-"));
    const other = await startApiServerForTest({ databaseUrl: db.url, arkHome: otherHome });
    try {
      const watch = await collect(other.kubeConfig(), { resourceVersion: (await list()).metadata?.resourceVersion });
      await create(agent("cross"));
      await expect.poll(() => watch.events.map((e) => e.object.metadata?.name), { timeout: 10_000 }).toContain("cross");
      expect(watch.events.find((e) => e.object.metadata?.name === "cross")?.type).toBe("ADDED");
      watch.stop();
    } finally {
      await other.close();
    }
    const restarted = await startApiServerForTest({ databaseUrl: db.url, arkHome: otherHome });
    try {
      const fetched = (await clientsFor(restarted.kubeConfig()).custom.getNamespacedCustomObject({
        ...AGENTS,
        namespace: "default",
        name: "cross",
      })) as AgentObject;
      expect(fetched.metadata.name).toBe("cross");
    } finally {
      await restarted.close();
      await rm(otherHome, { recursive: true, force: true });
    }
  });
});
