import { testPostgres } from "@ark/testing/vitest";
import type { KubeConfig, V1ConfigMap, V1Secret, V1Service } from "@kubernetes/client-node";
import { CoordinationV1Api, CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentKind, queryKind } from "@ark/types";
import {
  apiValueSourceReader,
  cachedValueSourceReader,
  CONFIG_MAPS,
  createArkClient,
  createController,
  createCoreClient,
  createEventRecorder,
  createInformerCache,
  createLeaderElector,
  isConflict,
  patchStatus,
  resolveValueSource,
  SECRETS,
  SERVICES,
  setCondition,
  splitKey,
  type Agent,
  type ArkClient,
  type CoreClient,
  type LeaderElector,
} from "@ark/kube";
import { quietLog, startTestApiServer, type TestApiServer } from "./support/test-api-server.js";

const agent = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: "default", labels },
  spec: { prompt: "You help." },
});

describe.skipIf(!testPostgres())("against a real ark-apiserver", () => {
  let server: TestApiServer;
  let kc: KubeConfig;
  let ark: ArkClient;
  let core: CoreClient;

  beforeAll(async () => {
    server = await startTestApiServer("kube");
    kc = server.kc;
    ark = createArkClient(kc);
    core = createCoreClient(kc);
  });
  afterAll(async () => server?.stop());

  describe("typed clients", () => {
    it("create, get, list by label, patch, patchStatus, replace with conflict, delete", async () => {
      const created = await ark.agents.create(agent("crud", { team: "a" }));
      expect(created).toMatchObject({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { generation: 1 } });
      await ark.agents.create(agent("other", { team: "b" }));
      expect(await ark.agents.get("default", "missing")).toBeUndefined();
      expect((await ark.agents.list("default", { labelSelector: "team=a" })).map((a) => a.metadata.name)).toEqual(["crud"]);
      expect((await ark.agents.list(undefined)).length).toBeGreaterThanOrEqual(2);

      const patched = await ark.agents.patch("default", "crud", { spec: { description: "helps" } });
      expect(patched.spec).toMatchObject({ prompt: "You help.", description: "helps" });
      expect(patched.metadata.generation).toBe(2);

      const conditions = setCondition(undefined, { type: "Ready", status: "True", reason: "Resolved" }, 2);
      const withStatus = await ark.agents.patchStatus("default", "crud", { conditions, observedGeneration: 2 });
      expect(withStatus.status?.observedGeneration).toBe(2);
      expect(withStatus.metadata.generation).toBe(2);

      const stale = { ...created, spec: { ...created.spec, description: "stale" } };
      const conflict = await ark.agents.replace(stale).catch((err: unknown) => err);
      expect(isConflict(conflict)).toBe(true);
      // Finalizer updates rely on this: a merge patch carrying a stale resourceVersion is refused.
      const stalePatch = ark.agents.patch("default", "crud", { metadata: { resourceVersion: created.metadata.resourceVersion, labels: { x: "y" } } });
      expect(isConflict(await stalePatch.catch((err: unknown) => err))).toBe(true);

      expect(await ark.agents.delete("default", "other")).toBe(true);
      expect(await ark.agents.delete("default", "other")).toBe(false);
    });

    it("adds and removes finalizers; deletion waits for them", async () => {
      await ark.queries.create({ metadata: { name: "q-final", namespace: "default" }, spec: { input: "hi", target: { type: "agent", name: "a" } } });
      const withFinalizer = await ark.queries.addFinalizer("default", "q-final", "ark.mckinsey.com/finalizer");
      expect(withFinalizer?.metadata.finalizers).toEqual(["ark.mckinsey.com/finalizer"]);
      expect(withFinalizer?.spec.ttl).toBe("720h");
      await ark.queries.addFinalizer("default", "q-final", "ark.mckinsey.com/finalizer");
      await ark.queries.delete("default", "q-final");
      const terminating = await ark.queries.get("default", "q-final");
      expect(terminating?.metadata.deletionTimestamp).toBeTruthy();
      await ark.queries.removeFinalizer("default", "q-final", "ark.mckinsey.com/finalizer");
      await expect.poll(() => ark.queries.get("default", "q-final"), { timeout: 15_000, interval: 25 }).toBeUndefined();
      expect(await ark.queries.removeFinalizer("default", "q-final", "x")).toBeUndefined();
    });

    it("patchStatus helper writes only changes and skips no-op writes", async () => {
      const q = await ark.queries.create({ metadata: { name: "q-status", namespace: "default" }, spec: { input: "hi", target: { type: "agent", name: "a" } } });
      const first = await patchStatus(ark.queries, q, { phase: "running", message: "started" });
      expect(first?.status).toMatchObject({ phase: "running", message: "started" });
      expect(await patchStatus(ark.queries, first!, { phase: "running" })).toBeUndefined();
      const second = await patchStatus(ark.queries, first!, { phase: "done", message: null });
      expect(second?.status?.phase).toBe("done");
      expect(second?.status?.message).toBeUndefined();
    });
  });

  describe("informer cache and controller", () => {
    it("sees adds, updates and deletes", async () => {
      const informer = createInformerCache(kc, queryKind, { namespace: "default", log: quietLog });
      const seen: string[] = [];
      informer.on("add", (o) => seen.push(`add ${o.metadata.name}`));
      informer.on("update", (o) => seen.push(`update ${o.metadata.name} ${o.status?.phase ?? ""}`));
      informer.on("delete", (o) => seen.push(`delete ${o.metadata.name}`));
      await informer.start();
      expect(informer.hasSynced()).toBe(true);
      await ark.queries.create({ metadata: { name: "q-inf", namespace: "default" }, spec: { input: "x", target: { type: "agent", name: "a" } } });
      await expect.poll(() => informer.get("default", "q-inf"), { timeout: 15_000, interval: 25 }).toBeDefined();
      await ark.queries.patchStatus("default", "q-inf", { phase: "running" });
      await expect.poll(() => informer.get("default", "q-inf")?.status?.phase, { timeout: 15_000, interval: 25 }).toBe("running");
      await ark.queries.delete("default", "q-inf");
      await expect.poll(() => informer.get("default", "q-inf"), { timeout: 15_000, interval: 25 }).toBeUndefined();
      await informer.stop();
      expect(seen.filter((s) => s.includes("q-inf"))).toEqual(["add q-inf", "update q-inf running", "delete q-inf"]);
    });

    it("reconciles each key from the cache until it converges, and honours requeueAfter", async () => {
      const informer = createInformerCache(kc, agentKind, { namespace: "default", labelSelector: "ctl=yes", log: quietLog });
      const reconciles = new Map<string, number>();
      const controller = createController({
        name: "agents",
        concurrency: 2,
        log: quietLog,
        async reconcile(key) {
          reconciles.set(key, (reconciles.get(key) ?? 0) + 1);
          const { namespace, name } = splitKey(key);
          const obj = informer.get(namespace, name) as Agent | undefined;
          if (!obj) return;
          const generation = obj.metadata.generation ?? 0;
          const conditions = setCondition(obj.status?.conditions, { type: "Ready", status: "True", reason: "Resolved" }, generation);
          await patchStatus(ark.agents, obj, { conditions, observedGeneration: generation });
          return name === "ctl-requeue" && reconciles.get(key) === 1 ? { requeueAfter: 50 } : undefined;
        },
      }).watch(informer);
      await ark.agents.create(agent("ctl-before", { ctl: "yes" }));
      await controller.start();
      await ark.agents.create(agent("ctl-after", { ctl: "yes" }));
      await ark.agents.create(agent("ctl-requeue", { ctl: "yes" }));
      for (const name of ["ctl-before", "ctl-after"]) {
        await expect.poll(async () => (await ark.agents.get("default", name))?.status?.observedGeneration, { timeout: 15_000, interval: 25 }).toBe(1);
      }
      await ark.agents.patch("default", "ctl-after", { spec: { description: "changed" } });
      await expect.poll(async () => (await ark.agents.get("default", "ctl-after"))?.status?.observedGeneration, { timeout: 15_000, interval: 25 }).toBe(2);
      await expect.poll(() => reconciles.get("default/ctl-requeue") ?? 0, { timeout: 15_000, interval: 25 }).toBeGreaterThanOrEqual(3);
      await controller.stop();
      await informer.stop();
      // Each change is reconciled a bounded number of times: the status write's own event, then nothing.
      expect(reconciles.get("default/ctl-before")).toBeLessThanOrEqual(3);
    });
  });

  describe("leader election", () => {
    it("lets one candidate lead and hands over when it stops", async () => {
      const leading = new Set<string>();
      const electors: Record<string, LeaderElector> = {};
      let bothLed = false;
      for (const id of ["one", "two"]) {
        electors[id] = createLeaderElector(kc, {
          namespace: "default",
          name: "ark-controller",
          identity: id,
          leaseDurationSeconds: 2,
          renewDeadlineMs: 1_000,
          retryPeriodMs: 100,
          log: quietLog,
          onStartedLeading: () => {
            leading.add(id);
            if (leading.size > 1) bothLed = true;
          },
          onStoppedLeading: () => void leading.delete(id),
        });
      }
      electors.one!.start();
      await expect.poll(() => electors.one!.isLeader(), { timeout: 15_000, interval: 25 }).toBe(true);
      electors.two!.start();
      await new Promise((r) => setTimeout(r, 500));
      expect(electors.two!.isLeader()).toBe(false);
      await electors.one!.stop();
      expect(leading.has("one")).toBe(false);
      await expect.poll(() => electors.two!.isLeader(), { timeout: 15_000, interval: 25 }).toBe(true);
      await electors.two!.stop();
      expect(bothLed).toBe(false);
      const lease = await kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: "default", name: "ark-controller" });
      expect(lease.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
      expect(lease.spec?.holderIdentity ?? "").toBe("");
    });
  });

  describe("value sources and events", () => {
    it("resolves from real Secrets, ConfigMaps and Services, directly and through caches", async () => {
      await core.secrets.create({ metadata: { name: "creds", namespace: "default" }, data: { apiKey: Buffer.from("sk-1").toString("base64") } });
      await core.configMaps.create({ metadata: { name: "settings", namespace: "default" }, data: { baseUrl: "https://models.example" } });
      await core.services.create({ metadata: { name: "mcp", namespace: "default" }, spec: { ports: [{ name: "http", port: 8080 }] } });
      await core.services.create({
        metadata: { name: "local-mcp", namespace: "default", annotations: { "ark.mckinsey.com/url": "http://127.0.0.1:9090" } },
        spec: { ports: [{ name: "http", port: 9090 }] },
      });
      const caches = {
        secrets: createInformerCache<V1Secret>(kc, SECRETS, { namespace: "default", log: quietLog }),
        configMaps: createInformerCache<V1ConfigMap>(kc, CONFIG_MAPS, { namespace: "default", log: quietLog }),
        services: createInformerCache<V1Service>(kc, SERVICES, { namespace: "default", log: quietLog }),
      };
      await Promise.all(Object.values(caches).map((c) => c.start()));
      try {
        for (const reader of [apiValueSourceReader(core), cachedValueSourceReader(caches)]) {
          expect(await resolveValueSource({ valueFrom: { secretKeyRef: { name: "creds", key: "apiKey" } } }, "default", reader)).toBe("sk-1");
          expect(await resolveValueSource({ valueFrom: { configMapKeyRef: { name: "settings", key: "baseUrl" } } }, "default", reader)).toBe("https://models.example");
          expect(await resolveValueSource({ valueFrom: { serviceRef: { name: "mcp", path: "/mcp" } } }, "default", reader)).toBe("http://mcp.default.svc.cluster.local:8080/mcp");
          expect(await resolveValueSource({ valueFrom: { serviceRef: { name: "local-mcp", path: "mcp" } } }, "default", reader)).toBe("http://127.0.0.1:9090/mcp");
          await expect(resolveValueSource({ valueFrom: { secretKeyRef: { name: "creds", key: "nope" } } }, "default", reader)).rejects.toThrow("key nope not found in secret default/creds");
        }
      } finally {
        await Promise.all(Object.values(caches).map((c) => c.stop()));
      }
    });

    it("records Events about an object, counting repeats", async () => {
      const target = await ark.agents.create(agent("evented"));
      const recorder = createEventRecorder(kc, { component: "ark-controller", instance: "test" });
      await recorder.record(target, { type: "Warning", reason: "ModelNotFound", message: 'model "gpt" not found' });
      await recorder.record(target, { type: "Warning", reason: "ModelNotFound", message: 'model "gpt" not found' });
      const events = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: "default" });
      const mine = events.items.filter((e) => e.involvedObject.name === "evented");
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ type: "Warning", reason: "ModelNotFound", count: 2, involvedObject: { kind: "Agent", uid: target.metadata.uid } });
    });
  });
});
