import { MemoryQueryBus, type RunConsumer } from "@ark/bus";
import { createLogger } from "@ark/service-kit";
import type { QueryEvent, QueryRunJob } from "@ark/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testPostgres } from "@ark/testing/vitest";
import type { ArkResources } from "../resources.js";
import { startApiStack, type ApiStack } from "../test-support/api-stack.js";
import { eventsUntilTerminal, terminalOf } from "../test-support/bus-events.js";
import { createAgent, createApiKeySecret, createMockModel, createQuery, uniqueName } from "../test-support/manifests.js";
import { startQueryWorker } from "./start-worker.js";

/** Retry versus failure follows the error's origin (docs/architecture.md §10), not the message. */
describe.skipIf(!testPostgres())("query worker: retry by error origin", () => {
  let stack: ApiStack;
  let bus: MemoryQueryBus<QueryEvent>;
  let worker: RunConsumer;
  /** Errors the next Agent lists throw, one per call (a lost connection, an API answer). */
  const listFailures: unknown[] = [];
  /** Errors the next ConfigMap reads throw; a read that does not fail answers "from-configmap". */
  const configMapFailures: unknown[] = [];

  beforeAll(async () => {
    stack = await startApiStack();
    bus = new MemoryQueryBus<QueryEvent>({ runs: { maxDeliver: 3, retryDelayMs: () => 10 } });
    const agents = stack.resources.ark.agents;
    const flakyAgents: typeof agents = Object.assign(Object.create(agents) as typeof agents, {
      list: (...args: Parameters<typeof agents.list>) => {
        const failure = listFailures.shift();
        return failure === undefined ? agents.list(...args) : Promise.reject(failure);
      },
    });
    const configValues: ArkResources["configValues"] = {
      getSecretValue: (...args) => stack.resources.configValues.getSecretValue(...args),
      getConfigMapValue: () => {
        const failure = configMapFailures.shift();
        return failure === undefined ? Promise.resolve("from-configmap") : Promise.reject(failure);
      },
    };
    const resources: ArkResources = { ...stack.resources, configValues, ark: { ...stack.resources.ark, agents: flakyAgents } };
    worker = await startQueryWorker({
      bus,
      resources,
      concurrency: 2,
      log: createLogger({ level: "silent" }),
      providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } },
    });
    await createApiKeySecret(stack, "default", "mock-key");
    await createMockModel(stack, "default", "default", { secret: "mock-key" });
  });
  afterAll(async () => {
    await worker?.close({ graceMs: 0 });
    await bus?.close();
    await stack?.close();
  });
  beforeEach(() => {
    stack.mock.reset();
    listFailures.length = 0;
    configMapFailures.length = 0;
  });

  async function run(spec: Record<string, unknown>) {
    const name = uniqueName("q");
    const query = await createQuery(stack, "default", name, spec);
    const job: QueryRunJob = {
      queryUid: query.metadata.uid!,
      namespace: "default",
      name,
      generation: query.metadata.generation ?? 1,
      enqueuedAt: new Date().toISOString(),
      deadline: new Date(Date.now() + 60_000).toISOString(),
    };
    await bus.enqueueRun(job);
    return eventsUntilTerminal(bus, job);
  }

  async function agentWithLabel() {
    const agent = uniqueName("agent");
    const label = uniqueName("pick");
    await stack.resources.ark.agents.create({ metadata: { name: agent, namespace: "default", labels: { pick: label } }, spec: { prompt: "You are helpful." } });
    return { agent, selector: { matchLabels: { pick: label } } };
  }

  it("retries a provider's 429 and completes", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent);
    stack.mock.script({ error: { status: 429, retryAfter: 0 } }, { text: "done" });
    const end = terminalOf(await run({ input: "hi", target: { type: "agent", name: agent } }));
    expect(end).toMatchObject({ type: "query.completed", responses: [{ content: "done" }] });
    expect(stack.mock.requests.filter((r) => r.model !== undefined)).toHaveLength(2);
  });

  it("fails at once on a provider's 400, with one request", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent);
    stack.mock.script({ error: { status: 400, message: "unknown parameter: temperatur" } });
    const end = terminalOf(await run({ input: "hi", target: { type: "agent", name: agent } }));
    expect(end).toMatchObject({ type: "query.failed", code: "PROVIDER_BAD_REQUEST", origin: "third-party", retryable: false });
    expect((end as { message: string }).message).toContain("unknown parameter: temperatur");
    expect(stack.mock.requests.filter((r) => r.model !== undefined)).toHaveLength(1);
  });

  it("fails an unknown agent at once as the user's error, naming it", async () => {
    const agent = uniqueName("missing");
    const events = await run({ input: "hi", target: { type: "agent", name: agent } });
    expect(terminalOf(events)).toMatchObject({ type: "query.failed", code: "CONFIG_ERROR", origin: "user", retryable: false, message: `spec.target: agent "${agent}" not found in namespace default` });
    expect(events.find((e) => e.type === "target.failed")).toMatchObject({ code: "CONFIG_ERROR", origin: "user", retryable: false });
    expect(events.filter((e) => e.type === "query.started")).toHaveLength(1);
  });

  it("redelivers a run whose API connection was lost before its targets ran, then completes", async () => {
    const { agent, selector } = await agentWithLabel();
    listFailures.push(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
    stack.mock.script({ text: "after the outage" });
    const events = await run({ input: "hi", selector });
    expect(terminalOf(events)).toMatchObject({ type: "query.completed", responses: [{ target: { type: "agent", name: agent }, content: "after the outage" }] });
    // The failed delivery published nothing: one start, one end.
    expect(events.filter((e) => e.type === "query.started")).toHaveLength(1);
  });

  it("redelivers a run whose parameter read lost its database connection, then completes with the value", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent);
    configMapFailures.push(new Error("read failed", { cause: Object.assign(new Error("Connection terminated"), { code: "ECONNRESET" }) }));
    stack.mock.script({ text: "ok" });
    const parameters = [{ name: "city", valueFrom: { configMapKeyRef: { name: "settings", key: "city" } } }];
    const events = await run({ input: "weather in {{.city}}?", parameters, target: { type: "agent", name: agent } });
    expect(terminalOf(events)).toMatchObject({ type: "query.completed" });
    expect(configMapFailures).toHaveLength(0);
    expect(JSON.stringify(stack.mock.requests.find((r) => r.model !== undefined)?.body)).toContain("weather in from-configmap?");
  });

  it("fails at once when a parameter's ConfigMap key is missing (the user's to fix)", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent);
    configMapFailures.push(Object.assign(new Error('configmaps "settings" not found'), { statusCode: 404 }));
    const parameters = [{ name: "city", valueFrom: { configMapKeyRef: { name: "settings", key: "city" } } }];
    const end = terminalOf(await run({ input: "weather in {{.city}}?", parameters, target: { type: "agent", name: agent } }));
    expect(end).toMatchObject({ type: "query.failed", code: "PARAMETER_ERROR", origin: "user", retryable: false, message: expect.stringContaining('parameter city: configmaps "settings" not found') });
    expect(stack.mock.requests.filter((r) => r.model !== undefined)).toHaveLength(0);
  });

  it("fails after the last delivery when the connection stays lost", async () => {
    const { selector } = await agentWithLabel();
    for (let i = 0; i < 3; i++) listFailures.push(Object.assign(new Error("bus: connection closed"), { code: "CONNECTION_CLOSED" }));
    const end = terminalOf(await run({ input: "hi", selector }));
    expect(end).toMatchObject({ type: "query.failed", code: "MAX_DELIVER", origin: "system", retryable: true });
    expect((end as { message: string }).message).toContain("last error: bus: connection closed");
  });

  it("fails at once when the API refuses the read (a user's RBAC), with the API's words", async () => {
    const { selector } = await agentWithLabel();
    listFailures.push(Object.assign(new Error('agents is forbidden: User "system:serviceaccount:default:default" cannot list'), { statusCode: 403 }));
    const events = await run({ input: "hi", selector });
    expect(terminalOf(events)).toMatchObject({ type: "query.failed", origin: "user", retryable: false, message: expect.stringContaining("agents is forbidden") });
    expect(listFailures).toHaveLength(0);
    expect(stack.mock.requests.filter((r) => r.model !== undefined)).toHaveLength(0);
  });
});
