import * as k8s from "@kubernetes/client-node";
import { testPostgres } from "@ark/testing/vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { useApiServerSuite } from "../test-support/api-server.js";
import { AGENTS, agent, agentCalls, type AgentObject, clientsFor, GROUP, mergePatch, statusOf } from "../test-support/clients.js";

describe.skipIf(!testPostgres())("resource API through @kubernetes/client-node", () => {
  const suite = useApiServerSuite("apiserver-crud");
  let api: ReturnType<typeof clientsFor>;
  beforeAll(() => {
    api = clientsFor(suite.server.kubeConfig());
  });

  const { create, get } = agentCalls(() => api);

  it("creates an agent with server metadata and schema defaults, gets, replaces and deletes it", async () => {
    const created = await create(agent("crud", { tools: [{ type: "built-in", name: "noop" }] }));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.namespace).toBe("default");
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);

    const fetched = await get("crud");
    expect(fetched).toEqual(created);

    const replaced = (await api.custom.replaceNamespacedCustomObject({
      ...AGENTS,
      namespace: "default",
      name: "crud",
      body: { ...fetched, spec: { ...fetched.spec, prompt: "Changed." } },
    })) as AgentObject;
    expect(replaced.spec.prompt).toBe("Changed.");
    expect(replaced.metadata.generation).toBe(2);
    expect(Number(replaced.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));

    const deleted = (await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "crud" })) as Record<string, any>;
    expect(deleted).toMatchObject({ kind: "Status", status: "Success", details: { name: "crud", group: GROUP, kind: "agents" } });
    const missing = await statusOf(get("crud"));
    expect(missing).toEqual({
      code: 404,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: `agents.${GROUP} "crud" not found`,
        reason: "NotFound",
        details: { name: "crud", group: GROUP, kind: "agents" },
        code: 404,
      },
    });
  });

  it("answers 409 AlreadyExists for a duplicate name and 409 Conflict for a stale update", async () => {
    const first = await create(agent("stale"));
    expect((await statusOf(create(agent("stale")))).body).toMatchObject({ reason: "AlreadyExists", code: 409 });
    await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "stale", body: { spec: { prompt: "newer" } } }, mergePatch);
    const conflict = await statusOf(api.custom.replaceNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "stale", body: { ...first, spec: { prompt: "old" } } }));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: "Conflict",
      message: `Operation cannot be fulfilled on agents.${GROUP} "stale": the object has been modified; please apply your changes to the latest version and try again`,
    });
  });

  it("bumps generation on spec changes only, and keeps spec and status apart", async () => {
    await create(agent("gen"));
    const labelled = (await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "gen", body: { metadata: { labels: { team: "a" } } } }, mergePatch)) as AgentObject;
    expect(labelled.metadata.generation).toBe(1);

    const withStatus = (await api.custom.patchNamespacedCustomObjectStatus(
      { ...AGENTS, namespace: "default", name: "gen", body: { status: { observedGeneration: 1 }, spec: { prompt: "ignored" } } },
      mergePatch,
    )) as AgentObject;
    expect(withStatus.status).toEqual({ observedGeneration: 1 });
    expect(withStatus.spec.prompt).toBe("You help.");
    expect(withStatus.metadata.generation).toBe(1);

    const specChanged = (await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "gen", body: { spec: { prompt: "new" }, status: { observedGeneration: 99 } } }, mergePatch)) as AgentObject;
    expect(specChanged.metadata.generation).toBe(2);
    expect(specChanged.status).toEqual({ observedGeneration: 1 });

    const jsonPatched = (await api.custom.patchNamespacedCustomObject({
      ...AGENTS,
      namespace: "default",
      name: "gen",
      body: [{ op: "replace", path: "/spec/prompt", value: "by json patch" }],
    })) as AgentObject;
    expect(jsonPatched.spec.prompt).toBe("by json patch");
    expect(jsonPatched.metadata.generation).toBe(3);

    const noop = (await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "gen", body: { spec: { prompt: "by json patch" } } }, mergePatch)) as AgentObject;
    expect(noop.metadata.resourceVersion).toBe(jsonPatched.metadata.resourceVersion);
  });

  it("rejects an invalid agent with 422 and the field path from @ark/types", async () => {
    const invalid = await statusOf(create(agent("bad", { tools: [{ type: "custom" }] })));
    expect(invalid.code).toBe(422);
    expect(invalid.body).toMatchObject({
      reason: "Invalid",
      details: { name: "bad", group: GROUP, kind: "Agent", causes: [{ reason: "FieldValueRequired", field: "spec.tools[0].name" }] },
    });
    expect(invalid.body.message).toMatch(/^Agent\.ark\.mckinsey\.com "bad" is invalid: spec\.tools\[0\]\.name: Required value/);
  });

  it("drops unknown fields with fieldValidation=Ignore and rejects them with Strict", async () => {
    const body = agent("unknown", { color: "blue" });
    const strict = await statusOf(api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body, fieldValidation: "Strict" }));
    expect(strict.code).toBe(400);
    expect(strict.body.message).toContain('unknown field "spec.color"');
    const ignored = (await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body, fieldValidation: "Ignore" })) as AgentObject;
    expect(ignored.spec).not.toHaveProperty("color");
  });

  it("names objects from generateName", async () => {
    const created = await create({ ...agent(""), metadata: { generateName: "gen-" } });
    expect(created.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it("refuses to create in a missing namespace, and creates once the namespace exists", async () => {
    const missing = await statusOf(create(agent("a"), "nowhere"));
    expect(missing.code).toBe(404);
    expect(missing.body.message).toBe('namespaces "nowhere" not found');
    await api.core.createNamespace({ body: { metadata: { name: "nowhere" } } });
    expect((await create(agent("a"), "nowhere")).metadata.namespace).toBe("nowhere");
  });

  it("lists with label and field selectors, and pages with limit + continue", async () => {
    await api.core.createNamespace({ body: { metadata: { name: "listing" } } });
    for (let i = 0; i < 5; i++) await create(agent(`l${i}`, {}, { labels: { tier: i < 3 ? "front" : "back", idx: String(i) } }), "listing");
    const list = (selector: Record<string, unknown>) =>
      api.custom.listNamespacedCustomObject({ ...AGENTS, namespace: "listing", ...selector }) as Promise<{ items: AgentObject[]; metadata: { continue?: string; resourceVersion: string } }>;
    const names = (l: { items: AgentObject[] }) => l.items.map((i) => i.metadata.name);
    expect(names(await list({ labelSelector: "tier=front" }))).toEqual(["l0", "l1", "l2"]);
    expect(names(await list({ labelSelector: "tier!=front" }))).toEqual(["l3", "l4"]);
    expect(names(await list({ labelSelector: "idx in (1,4),tier" }))).toEqual(["l1", "l4"]);
    expect(names(await list({ labelSelector: "!missing,idx notin (0)" }))).toEqual(["l1", "l2", "l3", "l4"]);
    expect(names(await list({ fieldSelector: "metadata.name=l3" }))).toEqual(["l3"]);

    const page1 = await list({ limit: 2 });
    expect(names(page1)).toEqual(["l0", "l1"]);
    // Later pages show the state the first page was read at, as Kubernetes' continue does.
    await api.custom.deleteNamespacedCustomObject({ ...AGENTS, namespace: "listing", name: "l2" });
    await api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "listing", name: "l3", body: { spec: { prompt: "later" } } }, mergePatch);
    await create(agent("l25"), "listing");
    const page2 = await list({ limit: 2, _continue: page1.metadata.continue });
    expect(names(page2)).toEqual(["l2", "l3"]);
    expect(page2.items[1]!.spec.prompt).toBe("You help.");
    const page3 = await list({ limit: 2, _continue: page2.metadata.continue });
    expect(names(page3)).toEqual(["l4"]);
    expect(page3.metadata.continue).toBeUndefined();
    expect(page3.metadata.resourceVersion).toBe(page1.metadata.resourceVersion);

    const all = (await api.custom.listClusterCustomObject({ ...AGENTS, labelSelector: "tier=back" })) as { items: AgentObject[] };
    expect(names(all)).toEqual(["l3", "l4"]);
  });

  it("stores Secrets (stringData folded into data), ConfigMaps and Leases", async () => {
    const secret = await api.core.createNamespacedSecret({ namespace: "default", body: { metadata: { name: "key" }, stringData: { token: "sk-1" } } });
    expect(secret.data).toEqual({ token: Buffer.from("sk-1").toString("base64") });
    expect(secret).not.toHaveProperty("stringData");

    await api.core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "cfg" }, data: { a: "1" } } });
    const cm = await api.core.patchNamespacedConfigMap({ namespace: "default", name: "cfg", body: { data: { b: "2" } } }, mergePatch);
    expect(cm.data).toEqual({ a: "1", b: "2" });
    expect((await api.core.listNamespacedConfigMap({ namespace: "default" })).items.map((c) => c.metadata?.name)).toEqual(["cfg"]);

    const lease = await api.coordination.createNamespacedLease({
      namespace: "default",
      body: { metadata: { name: "leader" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } },
    });
    const renewed = await api.coordination.replaceNamespacedLease({
      namespace: "default",
      name: "leader",
      body: { ...lease, spec: { ...lease.spec, holderIdentity: "b" } },
    });
    expect(renewed.spec?.holderIdentity).toBe("b");
    const stale = await statusOf(api.coordination.replaceNamespacedLease({ namespace: "default", name: "leader", body: lease }));
    expect(stale.code).toBe(409);
  });

  it("server-side applies for one field manager: creates, updates, and removes fields it no longer applies", async () => {
    const apply = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply);
    const applyAgent = (spec: Record<string, unknown>) =>
      api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "ssa", fieldManager: "tests", force: true, body: { ...agent("ssa"), spec } }, apply) as Promise<AgentObject>;
    const created = await applyAgent({ prompt: "one", description: "first" });
    expect(created.spec).toMatchObject({ prompt: "one", description: "first" });
    expect(created.metadata.managedFields).toEqual([expect.objectContaining({ manager: "tests", operation: "Apply" })]);
    const updated = await applyAgent({ prompt: "two" });
    expect(updated.spec.prompt).toBe("two");
    expect(updated.spec).not.toHaveProperty("description");
    expect(updated.metadata.generation).toBe(2);
  });

  it("server-side apply: a field another manager applied is a 409 conflict with causes, unless forced", async () => {
    const apply = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply);
    const applyAs = (fieldManager: string, spec: Record<string, unknown>, force?: boolean) =>
      api.custom.patchNamespacedCustomObject({ ...AGENTS, namespace: "default", name: "shared", fieldManager, ...(force ? { force } : {}), body: { ...agent("shared"), spec } }, apply) as Promise<AgentObject>;
    await applyAs("alice", { prompt: "alice's", description: "team agent", modelRef: { name: "default" } });
    // The same values: no conflict, the managers share the fields.
    await applyAs("bob", { description: "team agent", modelRef: { name: "default" } });

    const conflict = await statusOf(applyAs("bob", { prompt: "bob's", modelRef: { name: "default" } }));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: "Conflict",
      message: 'Apply failed with 1 conflict: conflict with "alice": .spec.prompt',
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "alice"', field: ".spec.prompt" }] },
    });
    expect((await get("shared")).spec.prompt).toBe("alice's");

    const forced = await applyAs("bob", { prompt: "bob's", modelRef: { name: "default" } }, true);
    expect(forced.spec.prompt).toBe("bob's");
    const owners = (forced.metadata.managedFields ?? []) as { manager: string; fieldsV1: { "f:spec"?: Record<string, unknown> } }[];
    expect(owners.find((m) => m.manager === "alice")?.fieldsV1["f:spec"]).not.toHaveProperty("f:prompt");
    expect(owners.find((m) => m.manager === "bob")?.fieldsV1["f:spec"]).toHaveProperty("f:prompt");
    // Alice no longer owns the prompt: applying without it leaves bob's value.
    expect((await applyAs("alice", { description: "team agent", modelRef: { name: "default" } })).spec.prompt).toBe("bob's");
  });

  it("validates what a /status write changes: the status (422 with its field path, unknown fields per fieldValidation)", async () => {
    await create(agent("status-check"));
    const patchStatus = (status: Record<string, unknown>, fieldValidation?: string) =>
      api.custom.patchNamespacedCustomObjectStatus({ ...AGENTS, namespace: "default", name: "status-check", body: { status }, ...(fieldValidation ? { fieldValidation } : {}) }, mergePatch) as Promise<AgentObject>;
    const invalid = await statusOf(patchStatus({ observedGeneration: -1 }));
    expect(invalid.code).toBe(422);
    expect(invalid.body.details.causes[0].field).toBe("status.observedGeneration");
    const unknown = await statusOf(patchStatus({ colour: "red" }, "Strict"));
    expect(unknown.code).toBe(400);
    expect(unknown.body.message).toContain('unknown field "status.colour"');
    const ok = await patchStatus({ observedGeneration: 1, conditions: [{ type: "Available", status: "True" }] });
    expect(ok.status).toEqual({ observedGeneration: 1, conditions: [{ type: "Available", status: "True" }] });
    expect(ok.spec.prompt).toBe("You help.");
  });

  it("honours dryRun=All without storing anything", async () => {
    const dry = (await api.custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("dry"), dryRun: "All" })) as AgentObject;
    expect(dry.metadata.uid).toBeDefined();
    expect((await statusOf(get("dry"))).code).toBe(404);
  });

  it("answers 401 Unauthorized without the token, and serves health without it", async () => {
    const response = await fetch(`${suite.server.url.replace("https", "http")}/health`).catch(() => undefined);
    expect(response).toBeUndefined(); // HTTPS only
    const { request } = await import("node:https");
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${suite.server.url}${path}`, { ca: suite.server.caPem, headers }, (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
    const denied = await get("/api/v1/namespaces");
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body)).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    expect((await get("/health")).status).toBe(200);
    expect((await get("/readyz")).status).toBe(200);
    expect((await get("/api/v1/namespaces", { authorization: `Bearer ${suite.server.token}` })).status).toBe(200);
  });
});
