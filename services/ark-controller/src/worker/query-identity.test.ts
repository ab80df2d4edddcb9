import { MemoryQueryBus, type RunConsumer } from "@ark/bus";
import { EngineError } from "@ark/engine";
import { createLogger } from "@ark/service-kit";
import type { QueryEvent, QueryRunJob } from "@ark/types";
import { testPostgres } from "@ark/testing/vitest";
import { KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ArkResources } from "../resources.js";
import { startApiStack, type ApiStack } from "../test-support/api-stack.js";
import { eventsUntilTerminal, terminalOf } from "../test-support/bus-events.js";
import { createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, uniqueName } from "../test-support/manifests.js";
import { startQueryWorker, type QueryWorkerOptions } from "./start-worker.js";

// The worker alone (no reconciler checks first): what a run reads, and as whom.
describe.skipIf(!testPostgres())("a query's run: its namespace and its identity", () => {
  let stack: ApiStack;
  let bus: MemoryQueryBus<QueryEvent>;
  let worker: RunConsumer | undefined;

  beforeAll(async () => {
    stack = await startApiStack();
    bus = new MemoryQueryBus<QueryEvent>();
  });
  afterAll(async () => {
    await bus?.close();
    await stack?.close();
  });
  beforeEach(() => stack.mock.reset());
  afterEach(async () => {
    await worker?.close({ graceMs: 0 });
    worker = undefined;
  });

  async function startWorker(options: Partial<QueryWorkerOptions> = {}) {
    worker = await startQueryWorker({
      bus,
      resources: stack.resources,
      concurrency: 2,
      log: createLogger({ level: "silent" }),
      providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } },
      ...options,
    });
  }

  /** A namespace with a default Model whose key is in Secret `model-key` (value sk-test). */
  async function namespaceWithModel() {
    const ns = await freshNamespace(stack);
    await createApiKeySecret(stack, ns, "model-key");
    await createMockModel(stack, ns, "default", { secret: "model-key" });
    return ns;
  }

  async function run(namespace: string, spec: Record<string, unknown>) {
    const name = uniqueName("q");
    const query = await createQuery(stack, namespace, name, spec);
    const job: QueryRunJob = {
      queryUid: query.metadata.uid!,
      namespace,
      name,
      generation: query.metadata.generation ?? 1,
      enqueuedAt: new Date().toISOString(),
      deadline: new Date(Date.now() + 60_000).toISOString(),
    };
    const events = eventsUntilTerminal(bus, job);
    await bus.enqueueRun(job);
    return terminalOf(await events);
  }

  const secretInput = { input: "the key is {{.k}}", parameters: [{ name: "k", valueFrom: { secretKeyRef: { name: "model-key", key: "token" } } }] };

  it("refuses an agent's Model in another namespace without a ReferenceGrant there, even with no reconciler in front", async () => {
    await startWorker();
    const owner = await namespaceWithModel();
    const tenant = await freshNamespace(stack);
    await createAgent(stack, tenant, "borrower", { modelRef: { name: "default", namespace: owner } });
    stack.mock.script({ text: "answered" });
    const end = await run(tenant, { input: "hi", target: { type: "agent", name: "borrower" } });
    expect(end).toMatchObject({ type: "query.failed", message: expect.stringContaining(`Model "default" in namespace ${owner} is not granted to Agent in namespace ${tenant}`) });
    expect(stack.mock.requests).toHaveLength(0);
  });

  it("reads a parameter's Secret as the query's service account (default, or spec.serviceAccount) when runs impersonate", async () => {
    const readers: string[] = [];
    // What RBAC on the API does to a service account that may not read the Secret: the read is refused.
    const runAs = (namespace: string, serviceAccount: string): ArkResources => {
      readers.push(`${namespace}:${serviceAccount}`);
      const refuse = async (ns: string, name: string): Promise<string> => {
        throw new EngineError("PARAMETER_ERROR", `secrets "${name}" is forbidden: User "system:serviceaccount:${ns}:${serviceAccount}" cannot get resource "secrets"`);
      };
      return { ...stack.resources, configValues: { getSecretValue: refuse, getConfigMapValue: refuse } };
    };
    await startWorker({ runAs });
    const ns = await namespaceWithModel();
    stack.mock.setDefault({ text: "echo" });
    const asDefault = await run(ns, { ...secretInput, target: { type: "model", name: "default" } });
    const asRunner = await run(ns, { ...secretInput, serviceAccount: "runner", target: { type: "model", name: "default" } });
    expect(readers).toEqual([`${ns}:default`, `${ns}:runner`]);
    expect(asDefault).toMatchObject({ type: "query.failed", message: expect.stringContaining(`User "system:serviceaccount:${ns}:default" cannot get resource "secrets"`) });
    expect(asRunner).toMatchObject({ type: "query.failed", message: expect.stringContaining(`system:serviceaccount:${ns}:runner`) });
    expect(JSON.stringify([asDefault, asRunner])).not.toContain("sk-test");
    expect(stack.mock.requests).toHaveLength(0);
  });

  it("with ARK_IMPERSONATE_QUERIES on, reads the agent, its Model and the Model's Secret as system:serviceaccount:<ns>:default", async () => {
    // Records the Impersonate-User of every API call made through a config derived from the worker's.
    const seen: string[] = [];
    const observed = Object.create(stack.kc) as KubeConfig;
    observed.applyToHTTPSOptions = async function (this: KubeConfig, opts) {
      await KubeConfig.prototype.applyToHTTPSOptions.call(this, opts);
      const headers = (opts.headers ?? {}) as Record<string, unknown>;
      seen.push(String(headers["Impersonate-User"] ?? "-"));
    };
    observed.applySecurityAuthentication = async function (this: KubeConfig, context) {
      await KubeConfig.prototype.applySecurityAuthentication.call(this, context);
      seen.push(`${context.getHeaders()["Impersonate-User"] ?? "-"} ${new URL(context.getUrl()).pathname}`);
    };
    await startWorker({ kubeConfig: observed, impersonateQueries: true });
    const ns = await namespaceWithModel();
    await createAgent(stack, ns, "helper");
    // As upstream's tenant setup: the namespace's default ServiceAccount may read what its queries use.
    await grantQueryRunner(ns, "default");
    stack.mock.script({ text: "done as default" });
    const end = await run(ns, { input: "hi", target: { type: "agent", name: "helper" } });
    expect(end).toMatchObject({ type: "query.completed", responses: [{ content: "done as default" }] });
    const user = `system:serviceaccount:${ns}:default`;
    // The agent and the Model (plain JSON calls, path not visible here), then the Model's Secret.
    expect(seen.filter((call) => call.startsWith(user)).length).toBeGreaterThanOrEqual(3);
    expect(seen).toContain(`${user} /api/v1/namespaces/${ns}/secrets/model-key`);
    expect(seen.filter((call) => call.includes("/secrets/") && !call.startsWith(user))).toEqual([]);
  });

  it("with ARK_IMPERSONATE_QUERIES on, the API's RBAC decides: a service account without a role cannot run the query, nor read another's Secret", async () => {
    await startWorker({ kubeConfig: stack.kc, impersonateQueries: true });
    const ns = await namespaceWithModel();
    await createAgent(stack, ns, "helper");
    stack.mock.setDefault({ text: "ran" });
    // No binding for `default` here: the agent cannot even be read as it.
    const refused = await run(ns, { input: "hi", target: { type: "agent", name: "helper" } });
    expect(refused).toMatchObject({ type: "query.failed", message: expect.stringContaining(`system:serviceaccount:${ns}:default`) });
    // A runner that may read agents and models but not Secrets: the parameter's Secret is refused by the API.
    await grantQueryRunner(ns, "runner", { secrets: false });
    const noSecret = await run(ns, { ...secretInput, serviceAccount: "runner", target: { type: "agent", name: "helper" } });
    expect(noSecret).toMatchObject({ type: "query.failed", message: expect.stringContaining(`secrets "model-key" is forbidden: User "system:serviceaccount:${ns}:runner" cannot get resource "secrets"`) });
    expect(JSON.stringify(noSecret)).not.toContain("sk-test");
    await grantQueryRunner(ns, "reader");
    const allowed = await run(ns, { input: "hi", serviceAccount: "reader", target: { type: "agent", name: "helper" } });
    expect(allowed).toMatchObject({ type: "query.completed", responses: [{ content: "ran" }] });
  });

  /** A Role with upstream's minimal query RBAC (Secrets optional) bound to `serviceAccount` in `namespace`. */
  async function grantQueryRunner(namespace: string, serviceAccount: string, options: { secrets?: boolean } = {}) {
    const rbac = stack.kc.makeApiClient(RbacAuthorizationV1Api);
    const name = `query-runner-${serviceAccount}`;
    const core = options.secrets === false ? ["configmaps", "services"] : ["configmaps", "secrets", "services"];
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name },
        rules: [
          { apiGroups: ["ark.mckinsey.com"], resources: ["agents", "teams", "models", "tools", "mcpservers", "memories", "executionengines", "a2aservers", "queries"], verbs: ["get", "list"] },
          { apiGroups: [""], resources: core, verbs: ["get", "list"] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
        subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace }],
      },
    });
  }
});
