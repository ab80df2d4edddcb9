import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { RunConsumer } from "@ark/bus";
import { createLogger } from "@ark/service-kit";
import { finishedQuery, testNats, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningController } from "./server.js";
import { startApiStack, type ApiStack } from "./test-support/api-stack.js";
import { FAST_RETRIES, startTestController } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests } from "./test-support/manifests.js";
import { openTestBus, type TestBus } from "@ark/test-stack";
import { startQueryWorker } from "./worker/start-worker.js";

const nats = testNats();
const buses = [{ kind: "in-process", natsUrl: undefined }, ...(nats ? [{ kind: "JetStream", natsUrl: nats.url }] : [])];
const mainTs = fileURLToPath(new URL("./main.ts", import.meta.url));
const silent = createLogger({ level: "silent" });

describe.skipIf(!testPostgres()).each(buses)("ark-controller resilience on the $kind bus", ({ natsUrl }) => {
  let stack: ApiStack;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    stack.mock.reset();
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function bus(maxDeliver = 3): Promise<TestBus> {
    const opened = await openTestBus(natsUrl, { ackWaitMs: 1500, maxDeliver });
    cleanups.push(() => opened.dispose());
    return opened;
  }

  async function controller(testBus: TestBus, roles: string, env: Record<string, string> = {}): Promise<RunningController> {
    const running = await startTestController(stack, testBus.bus, { ...testBus.env, ARK_CONTROLLER_ROLES: roles, ...env });
    cleanups.push(() => running.stop());
    return running;
  }

  async function inProcessWorker(testBus: TestBus): Promise<RunConsumer> {
    const consumer = await startQueryWorker({ bus: testBus.bus, resources: stack.resources, concurrency: 2, log: silent, providerOptions: FAST_RETRIES });
    cleanups.push(() => consumer.close({ graceMs: 0 }));
    return consumer;
  }

  /** A worker in a child process (the real main.ts), for JetStream. */
  async function workerProcess(testBus: TestBus): Promise<ChildProcess> {
    const child = spawn(process.execPath, ["--conditions=@ark/source", "--import", "tsx", mainTs], {
      env: { ...process.env, ...testBus.env, PORT: "0", LOG_LEVEL: "warn", KUBECONFIG: stack.kubeconfigPath, ARK_CONTROLLER_ROLES: "worker" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    cleanups.push(async () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"));
    return child;
  }

  async function agentNamespace(): Promise<string> {
    const ns = await freshNamespace(stack);
    await createApiKeySecret(stack, ns, "mock-key");
    await createMockModel(stack, ns, "default", { secret: "mock-key" });
    await createAgent(stack, ns, "a");
    return ns;
  }

  async function eventTypes(testBus: TestBus, ns: string, name: string): Promise<QueryEvent["type"][]> {
    const query = await stack.resources.ark.queries.get(ns, name);
    const types: QueryEvent["type"][] = [];
    for await (const e of testBus.bus.readEvents({ namespace: ns, name, queryUid: query!.metadata.uid! }, { follow: false })) types.push(e.event.type);
    return types;
  }

  const count = (types: string[], type: string) => types.filter((t) => t === type).length;

  /** Until the mock has been asked `n` times; `timeout` for tests longer than the default. */
  const modelAsked = (n: number, timeout: number = WITHIN_TEST_TIMEOUT.timeout) => expect.poll(() => queryRequests(stack.mock).length, { timeout, interval: 20 }).toBeGreaterThanOrEqual(n);

  it("finishes a query once when its worker is killed mid-run: the job is redelivered to another worker", async () => {
    const testBus = await bus();
    await controller(testBus, "reconciler");
    let calls = 0;
    answerQueries(stack.mock, () => (++calls === 1 ? { hang: true } : "answered on redelivery"));
    const ns = await agentNamespace();
    if (testBus.kind === "jetstream") {
      const child = await workerProcess(testBus);
      await createQuery(stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
      await modelAsked(1, 80_000);
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    } else {
      const first = await inProcessWorker(testBus);
      await createQuery(stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
      await modelAsked(1, 80_000);
      await first.close({ graceMs: 0 });
    }
    await inProcessWorker(testBus);
    const query = await finishedQuery(stack.resources.ark.queries, ns, "q", { timeout: 80_000 });
    expect(query.status).toMatchObject({ phase: "done", responses: [{ content: "answered on redelivery" }] });
    const types = await eventTypes(testBus, ns, "q");
    expect(count(types, "query.started")).toBe(2);
    expect(count(types, "query.completed") + count(types, "query.failed") + count(types, "query.canceled")).toBe(1);
  }, 90_000); // a worker process boots through tsx in ~10 s on a busy machine

  it("fails the query with the reason once the job has used up MAX_DELIVER deliveries", async () => {
    const testBus = await bus(1);
    await controller(testBus, "reconciler");
    answerQueries(stack.mock, { hang: true });
    const ns = await agentNamespace();
    const first = await inProcessWorker(testBus);
    await createQuery(stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
    await modelAsked(1);
    await first.close({ graceMs: 0 });
    await inProcessWorker(testBus);
    const query = await finishedQuery(stack.resources.ark.queries, ns, "q");
    expect(query.status?.phase).toBe("error");
    expect(query.status?.message).toContain("abandoned after 1 delivery attempts");
    expect(query.status?.message).toContain("MAX_DELIVER 1");
  });

  it("writes the final status of a query that finished while its controller was restarting", async () => {
    const testBus = await bus();
    await inProcessWorker(testBus);
    const first = await controller(testBus, "reconciler");
    answerQueries(stack.mock, { text: "slow answer", delayMs: 1500, usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
    const ns = await agentNamespace();
    await createQuery(stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
    await expect.poll(async () => (await stack.resources.ark.queries.get(ns, "q"))?.status?.phase, WITHIN_TEST_TIMEOUT).toBe("running");
    await modelAsked(1);
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 1700));
    await controller(testBus, "reconciler");
    const query = await finishedQuery(stack.resources.ark.queries, ns, "q");
    expect(query.status).toMatchObject({ phase: "done", responses: [{ content: "slow answer" }], tokenUsage: { totalTokens: 7 } });
    expect(queryRequests(stack.mock)).toHaveLength(1);
    expect(count(await eventTypes(testBus, ns, "q"), "query.completed")).toBe(1);
  });

  it("relays spec.cancel over the bus to the worker running the query, which aborts its model call", async () => {
    const testBus = await bus();
    await inProcessWorker(testBus);
    await controller(testBus, "reconciler");
    answerQueries(stack.mock, { hang: true });
    const ns = await agentNamespace();
    await createQuery(stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
    await modelAsked(1);
    await stack.resources.ark.queries.patch(ns, "q", { spec: { cancel: true } });
    expect((await finishedQuery(stack.resources.ark.queries, ns, "q")).status?.phase).toBe("canceled");
    await expect.poll(() => eventTypes(testBus, ns, "q"), WITHIN_TEST_TIMEOUT).toContain("query.canceled");
    expect(await eventTypes(testBus, ns, "q")).toEqual(expect.arrayContaining(["llm.call.failed", "target.failed", "query.canceled"]));
  });

  it.runIf(!natsUrl)("elects one leader among two reconcilers; the other takes over when it stops", async () => {
    const testBus = await bus();
    await inProcessWorker(testBus);
    const leaseNs = await freshNamespace(stack);
    const env = { LEADER_ELECTION: "true", LEADER_ELECTION_NAMESPACE: leaseNs, LEADER_ELECTION_LEASE_DURATION: "2s" };
    const one = await controller(testBus, "reconciler", { ...env, POD_NAME: "one" });
    const two = await controller(testBus, "reconciler", { ...env, POD_NAME: "two" });
    const leaders = () =>
      vi.waitFor(() => {
        const active = [one, two].filter((c) => c.service.isLeader());
        expect(active.length, "reconcilers leading").toBeGreaterThan(0);
        return active;
      }, WITHIN_TEST_TIMEOUT);
    const [leader, ...others] = await leaders();
    expect(others).toHaveLength(0);
    answerQueries(stack.mock, "led");
    const ns = await agentNamespace();
    await createQuery(stack, ns, "first", { input: "hi", target: { type: "agent", name: "a" } });
    expect((await finishedQuery(stack.resources.ark.queries, ns, "first")).status?.phase).toBe("done");

    await leader!.stop();
    const follower = leader === one ? two : one;
    const [next] = await leaders();
    expect(next).toBe(follower);
    await createQuery(stack, ns, "second", { input: "hi", target: { type: "agent", name: "a" } });
    expect((await finishedQuery(stack.resources.ark.queries, ns, "second")).status?.phase).toBe("done");
  });
});
