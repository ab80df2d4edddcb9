import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { testPostgres } from "@ark/testing/vitest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startApiServerForTest, useApiServerSuite, type TestApiServer } from "../test-support/api-server.js";
import { rawRequest } from "../test-support/raw-request.js";
import { AGENTS, agent, type AgentObject, clientsFor, GROUP, mergePatch, statusOf, VERSION } from "../test-support/clients.js";

type AgentList = { items: AgentObject[]; metadata: { resourceVersion: string; continue?: string } };

describe.skipIf(!testPostgres())("lists served from the in-memory cache", () => {
  const suite = useApiServerSuite("apiserver-list-cache");
  let api: ReturnType<typeof clientsFor>;
  let other: TestApiServer;
  let otherHome: string;
  let otherApi: ReturnType<typeof clientsFor>;
  beforeAll(async () => {
    api = clientsFor(suite.server.kubeConfig());
    // A second replica on the same database: its cache learns of the first one's writes only through the change log.
    otherHome = await mkdtemp(join(tmpdir(), "ark-apiserver-"));
    const url = suite.server.server.config.DATABASE_URL!;
    other = await startApiServerForTest({ databaseUrl: url, arkHome: otherHome });
    otherApi = clientsFor(other.kubeConfig());
  });
  afterAll(async () => {
    await other?.close();
    if (otherHome) await rm(otherHome, { recursive: true, force: true });
  });

  const list = (client: ReturnType<typeof clientsFor>, params: Record<string, unknown> = {}) => client.custom.listNamespacedCustomObject({ ...AGENTS, namespace: "default", ...params }) as Promise<AgentList>;
  const names = (l: AgentList) => l.items.map((i) => i.metadata.name);

  it("shows a write made on one replica in the very next list on the other", async () => {
    for (let i = 0; i < 15; i++) {
      const created = (await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent(`r${i}`) })) as AgentObject;
      const seen = await list(otherApi, { fieldSelector: `metadata.name=r${i}` });
      expect(names(seen)).toEqual([`r${i}`]);
      expect(Number(seen.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
      await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: `r${i}`, body: { spec: { prompt: "changed" } } }, mergePatch);
      expect((await list(otherApi, { fieldSelector: `metadata.name=r${i}` })).items[0]!.spec.prompt).toBe("changed");
      await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name: `r${i}` });
      expect(names(await list(otherApi, { fieldSelector: `metadata.name=r${i}` }))).toEqual([]);
    }
  });

  it("answers resourceVersionMatch=Exact with the state at that resourceVersion, and a too new resourceVersion with 504", async () => {
    await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("exact", {}, { labels: { pick: "yes" } }) });
    const before = await list(api, { labelSelector: "pick=yes" });
    await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "exact", body: { spec: { prompt: "later" } } }, mergePatch);
    const rv = before.metadata.resourceVersion;
    const exact = await list(otherApi, { labelSelector: "pick=yes", resourceVersion: rv, resourceVersionMatch: "Exact" });
    expect(exact.metadata.resourceVersion).toBe(rv);
    expect(exact.items.map((i) => i.spec.prompt)).toEqual(["You help."]);
    const notOlder = await list(otherApi, { labelSelector: "pick=yes", resourceVersion: rv, resourceVersionMatch: "NotOlderThan" });
    expect(notOlder.items.map((i) => i.spec.prompt)).toEqual(["later"]);

    const tooNew = await statusOf(list(api, { resourceVersion: String(Number(rv) + 1_000_000) }));
    expect(tooNew.code).toBe(504);
    expect(tooNew.body).toMatchObject({ reason: "Timeout", details: { causes: [{ reason: "ResourceVersionTooLarge" }] } });
    const badMatch = await statusOf(list(api, { resourceVersionMatch: "Exact" }));
    expect(badMatch.code).toBe(422);
  });

  it("answers a GET with resourceVersion=0 from its cache, any other GET from storage, and a missing object 404", async () => {
    await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("anyver") });
    // The stored row changed behind both replicas' backs (no change log entry): only storage knows.
    const db = new pg.Client({ connectionString: suite.server.server.config.DATABASE_URL! });
    await db.connect();
    await db.query("UPDATE objects SET object = replace(object, 'You help.', 'Behind its back.') WHERE resource = 'agents' AND name = 'anyver'");
    await db.end();
    const path = `/apis/${GROUP}/${VERSION}/namespaces/default/agents/anyver`;
    const consistent = await rawRequest(suite.server, "GET", path);
    expect(JSON.parse(consistent.body).spec.prompt).toBe("Behind its back.");
    const anyVersion = await rawRequest(suite.server, "GET", `${path}?resourceVersion=0`);
    expect(anyVersion.status).toBe(200);
    expect(JSON.parse(anyVersion.body)).toMatchObject({ metadata: { name: "anyver" }, spec: { prompt: "You help." } });
    // The other replica has it once the change log brings it (before that, from storage).
    await vi.waitFor(async () => expect(JSON.parse((await rawRequest(other, "GET", `${path}?resourceVersion=0`)).body).spec.prompt).toBe("You help."));
    const missing = await rawRequest(suite.server, "GET", `/apis/${GROUP}/${VERSION}/namespaces/default/agents/nowhere?resourceVersion=0`);
    expect(missing.status).toBe(404);
  });

  it("answers a GET with resourceVersion=N from its cache once it holds every change up to N, on any replica", async () => {
    const created = (await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("notolder") })) as AgentObject;
    const rv = created.metadata.resourceVersion;
    const path = `/apis/${GROUP}/${VERSION}/namespaces/default/agents/notolder`;
    // Not older than the create, on the replica that did not write it: never without it.
    const elsewhere = await rawRequest(other, "GET", `${path}?resourceVersion=${rv}`);
    expect(elsewhere.status).toBe(200);
    expect(JSON.parse(elsewhere.body).metadata.resourceVersion).toBe(rv);
    // Changed behind both replicas' backs: the cache answers (it is at N), storage would not.
    const db = new pg.Client({ connectionString: suite.server.server.config.DATABASE_URL! });
    await db.connect();
    await db.query("UPDATE objects SET object = replace(object, 'You help.', 'Behind its back.') WHERE resource = 'agents' AND name = 'notolder'");
    await db.end();
    for (const server of [suite.server, other]) expect(JSON.parse((await rawRequest(server, "GET", `${path}?resourceVersion=${rv}`)).body).spec.prompt).toBe("You help.");
    expect(JSON.parse((await rawRequest(other, "GET", path)).body).spec.prompt).toBe("Behind its back.");
    // A later write is in every answer not older than it.
    const patched = (await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "notolder", body: { spec: { prompt: "later" } } }, mergePatch)) as AgentObject;
    const after = await rawRequest(other, "GET", `${path}?resourceVersion=${patched.metadata.resourceVersion}`);
    expect(JSON.parse(after.body).spec.prompt).toBe("later");
    expect((await rawRequest(other, "GET", `${path}?resourceVersion=soon`)).status).toBe(400);
  });

  it("pages with limit + continue from one snapshot, across replicas", async () => {
    await api.core.createNamespace({ body: { metadata: { name: "paging" } } });
    for (let i = 0; i < 7; i++) await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "paging", body: agent(`p${i}`) });
    const page = (client: ReturnType<typeof clientsFor>, cont?: string) =>
      client.custom.listNamespacedCustomObject({ ...AGENTS, namespace: "paging", limit: 3, ...(cont ? { _continue: cont } : {}) }) as Promise<AgentList>;
    const first = await page(api);
    const second = await page(otherApi, first.metadata.continue);
    expect(names(second)).toEqual(["p3", "p4", "p5"]);
    await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "paging", name: "p6" });
    const third = await page(api, second.metadata.continue);
    expect(names(third)).toEqual(["p6"]);
    expect(third.metadata.continue).toBeUndefined();
    expect(third.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it("starts a watch without resourceVersion from the current state, including the caller's own last write", async () => {
    await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("watched-at-once") });
    const seen: string[] = [];
    const controller = await new k8s.Watch(other.kubeConfig()).watch(
      `/apis/${GROUP}/${VERSION}/namespaces/default/agents`,
      { fieldSelector: "metadata.name=watched-at-once" },
      (type, obj: AgentObject) => seen.push(`${type} ${obj.metadata.name}`),
      () => undefined,
    );
    try {
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual(["ADDED watched-at-once"]);
    } finally {
      controller.abort();
    }
  });

  it("patches on one replica right after the other replica's write: a stale cached state is re-read, never applied", async () => {
    await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("ping-pong") });
    // Freeze the other replica's cache (last test: its lists would now wait in vain): it knows only its own writes.
    await other.server.context.feed.stop();
    const patch = (client: ReturnType<typeof clientsFor>, prompt: string) =>
      client.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "ping-pong", body: { spec: { prompt } } }, mergePatch) as Promise<AgentObject>;
    for (let i = 0; i < 10; i++) {
      const a = await patch(api, `a${i}`);
      // The other replica may still cache "base" from its own last patch: that must not make this a no-op.
      const b = await patch(otherApi, "base");
      expect(b.spec.prompt).toBe("base");
      expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
      const status = (await otherApi.custom.patchNamespacedCustomObjectStatus({ ...AGENTS, namespace: "default", name: "ping-pong", body: { status: { observedGeneration: i } } }, mergePatch)) as AgentObject;
      expect(status.spec.prompt).toBe("base");
      expect(status.status?.observedGeneration).toBe(i);
    }
    const final = (await api.custom.getNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "ping-pong" })) as AgentObject;
    expect(final.spec.prompt).toBe("base");
    expect(final.status?.observedGeneration).toBe(9);
  });
});
