import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { loadConfig } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiServerConfig } from "../config.js";
import { expireEvents } from "../gc/event-expiry.js";
import { startApiServerForTest, type TestApiServer } from "../test-support/api-server.js";
import { clientsFor, statusOf } from "../test-support/clients.js";
import { rawRequest } from "../test-support/raw-request.js";
import { MAX_EVENTS_PER_LIST } from "./handlers/create.js";

const NS = "events-store";
const PATH = `/api/v1/namespaces/${NS}/events`;

/** A client-node watch collecting what it is sent until stopped. */
async function collect(kc: k8s.KubeConfig, params: Record<string, string | boolean>) {
  const seen: { type: string; name: string; rv: number }[] = [];
  const controller = await new k8s.Watch(kc).watch(
    PATH,
    params,
    (type, object: k8s.CoreV1Event) => seen.push({ type, name: object.metadata?.name ?? "", rv: Number(object.metadata?.resourceVersion) }),
    () => undefined,
  );
  return { seen, stop: () => controller.abort() };
}

describe.skipIf(!testPostgres())("Event storage (written in batches, expired by TTL)", () => {
  let db: TestDatabase;
  let home: string;
  let server: TestApiServer;
  let api: ReturnType<typeof clientsFor>;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "apiserver-event-storage" });
    home = await mkdtemp(join(tmpdir(), "ark-apiserver-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: home });
    api = clientsFor(server.kubeConfig());
    await api.core.createNamespace({ body: { metadata: { name: NS } } });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const event = (name: string, involved: string) =>
    api.core.createNamespacedEvent({
      namespace: NS,
      body: { metadata: { name }, involvedObject: { kind: "Query", name: involved, namespace: NS }, reason: "QueryResolved", message: `${name} of ${involved}`, type: "Normal" },
    });
  const names = async (fieldSelector?: string) => (await api.core.listNamespacedEvent({ namespace: NS, ...(fieldSelector ? { fieldSelector } : {}) })).items.map((e) => e.metadata?.name).sort();

  it("stores a burst of Events whole, each once, and lists and watches them by involvedObject.name from a resourceVersion", async () => {
    const { resourceVersion } = (await api.core.listNamespacedEvent({ namespace: NS })).metadata!;
    const live = await collect(server.kubeConfig(), { resourceVersion: resourceVersion!, fieldSelector: "involvedObject.name=q1" });

    // Concurrent creates share transactions: one name twice in the burst is stored once and refused once.
    const burst = Array.from({ length: 40 }, (_, i) => event(`e${String(i).padStart(2, "0")}`, i % 2 === 0 ? "q1" : "q2"));
    const outcomes = await Promise.allSettled([...burst, event("e00", "q1")]);
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(refused).toHaveLength(1);
    expect((await statusOf(Promise.reject((refused[0] as PromiseRejectedResult).reason))).code).toBe(409);
    const stored = outcomes.filter((o): o is PromiseFulfilledResult<k8s.CoreV1Event> => o.status === "fulfilled").map((o) => Number(o.value.metadata?.resourceVersion));
    expect(new Set(stored).size).toBe(40);

    const q1 = Array.from({ length: 20 }, (_, i) => `e${String(2 * i).padStart(2, "0")}`);
    expect(await names()).toHaveLength(40);
    expect(await names("involvedObject.name=q1")).toEqual(q1);
    await expect.poll(() => live.seen.length, { timeout: 10_000 }).toBe(20);
    // A watch started later from the same resourceVersion replays the same changes, in resourceVersion order.
    const replayed = await collect(server.kubeConfig(), { resourceVersion: resourceVersion!, fieldSelector: "involvedObject.name=q1" });
    await expect.poll(() => replayed.seen.length, { timeout: 10_000 }).toBe(20);
    live.stop();
    replayed.stop();
    for (const watched of [live.seen, replayed.seen]) {
      expect(watched.every((w) => w.type === "ADDED")).toBe(true);
      expect(watched.map((w) => w.name).sort()).toEqual(q1);
      expect(watched.map((w) => w.rv)).toEqual(watched.map((w) => w.rv).sort((a, b) => a - b));
    }
  });

  it("keeps Events across a restart of the apiserver, and expires them past ARK_APISERVER_EVENT_TTL with a DELETED to watchers", async () => {
    await server.close();
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: home });
    api = clientsFor(server.kubeConfig());
    expect(await names()).toHaveLength(40);

    const { resourceVersion } = (await api.core.listNamespacedEvent({ namespace: NS })).metadata!;
    const watch = await collect(server.kubeConfig(), { resourceVersion: resourceVersion!, fieldSelector: "involvedObject.name=q2" });
    const { cache, store } = server.server.context;
    // An hour and a minute later, by the sweep's clock.
    expect(await expireEvents(cache, store, 3600_000, Date.now() + 61 * 60_000)).toBe(40);
    await expect.poll(() => names(), { timeout: 10_000 }).toEqual([]);
    await expect.poll(() => watch.seen.length, { timeout: 10_000 }).toBe(20);
    watch.stop();
    expect(watch.seen.every((w) => w.type === "DELETED")).toBe(true);
  });

  it("creates a List of Events item by item (EventRecorder's one request): a Status per item in order, a bad item refused alone", async () => {
    const ns = "events-list";
    await api.core.createNamespace({ body: { metadata: { name: ns } } });
    const item = (name: string, extra: Record<string, unknown> = {}) => ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name },
      involvedObject: { kind: "Query", name: "q", namespace: ns },
      reason: "QueryResolveStart",
      message: name,
      type: "Normal",
      ...extra,
    });
    const post = (items: unknown[]) => rawRequest(server, "POST", `/api/v1/namespaces/${ns}/events`, { body: JSON.stringify({ apiVersion: "v1", kind: "List", metadata: {}, items }) });
    const answer = await post([item("l1"), item("l2"), item("l1"), item("l3", { kind: "ConfigMap" }), item("l4", { metadata: { name: "l4", namespace: "elsewhere" } }), "not an object"]);
    expect(answer.status).toBe(200);
    const statuses = (JSON.parse(answer.body) as { kind: string; items: { status: string; code?: number; message?: string; details?: { name?: string; uid?: string } }[] }).items;
    expect(statuses.map((s) => [s.status, s.code ?? 201, s.details?.name])).toEqual([
      ["Success", 201, "l1"],
      ["Success", 201, "l2"],
      ["Failure", 409, "l1"],
      ["Failure", 400, undefined],
      ["Failure", 400, undefined],
      ["Failure", 400, undefined],
    ]);
    expect(statuses[3]!.message).toContain("the kind in the data (ConfigMap)");
    expect(statuses[5]!.message).toContain("items[5]");
    // Stored as their own POSTs would have stored them: kubectl get events shows each once, uid as answered.
    const stored = (await api.core.listNamespacedEvent({ namespace: ns })).items;
    expect(stored.map((e) => e.metadata?.name).sort()).toEqual(["l1", "l2"]);
    expect(stored.find((e) => e.metadata?.name === "l1")?.metadata?.uid).toBe(statuses[0]!.details?.uid);

    const tooMany = await post(Array.from({ length: MAX_EVENTS_PER_LIST + 1 }, (_, i) => item(`m${i}`)));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toContain("items: a List of Events holds at most");
    const empty = await post([]);
    expect(empty.status).toBe(400);
    expect(empty.body).toContain("items");
    // Only core Events take a List: any other kind answers as kube-apiserver does.
    const configMaps = await rawRequest(server, "POST", `/api/v1/namespaces/${ns}/configmaps`, { body: JSON.stringify({ apiVersion: "v1", kind: "List", items: [] }) });
    expect(configMaps.status).toBe(400);
    expect(configMaps.body).toContain("the kind in the data (List)");
  });

  it("refuses a malformed ARK_APISERVER_EVENT_TTL at boot, naming it", () => {
    expect(() => loadConfig(apiServerConfig, { ARK_APISERVER_EVENT_TTL: "an hour" })).toThrow(/ARK_APISERVER_EVENT_TTL/);
  });
});
