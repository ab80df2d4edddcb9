import { MemoryQueryBus, type RunConsumer, type RunControl } from "@ark/bus";
import { createLogger } from "@ark/service-kit";
import { QueryRunJob, STREAMING_ANNOTATION, type QueryEvent } from "@ark/types";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { beforeAll, afterAll, describe, expect, it, vi, type MockInstance } from "vitest";
import type { ArkResources } from "../resources.js";
import { FAST_RETRIES, useControllerSuite } from "../test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, freshNamespace, queryRequests } from "../test-support/manifests.js";
import { queryRunHandler } from "./run-query.js";
import { startQueryWorker } from "./start-worker.js";

/** The same resources, noting every GET of a Query (`namespace/name`). */
function countingQueryReads(resources: ArkResources): { resources: ArkResources; reads: string[] } {
  const reads: string[] = [];
  const { queries } = resources.ark;
  const get: typeof queries.get = (namespace, name) => {
    reads.push(`${namespace}/${name}`);
    return queries.get(namespace, name);
  };
  return { reads, resources: { ...resources, ark: { ...resources.ark, queries: { ...queries, get } } } };
}

const delivery = (attempt: number): RunControl => ({ attempt, maxDeliver: 3, signal: new AbortController().signal, heartbeat: () => undefined });

describe.skipIf(!testPostgres())("a worker running the Query its job carries", () => {
  // The controller only reconciles; this suite's worker takes its jobs, its Query GETs counted.
  const suite = useControllerSuite({ ARK_CONTROLLER_ROLES: "reconciler" });
  let counted: ReturnType<typeof countingQueryReads>;
  let worker: RunConsumer;
  let enqueued: MockInstance<MemoryQueryBus<QueryEvent>["enqueueRun"]>;

  beforeAll(async () => {
    counted = countingQueryReads(suite.stack.resources);
    enqueued = vi.spyOn(suite.bus, "enqueueRun");
    worker = await startQueryWorker({
      bus: suite.bus,
      resources: counted.resources,
      concurrency: 4,
      log: createLogger({ level: "silent" }),
      providerOptions: FAST_RETRIES,
    });
  });
  afterAll(async () => {
    await worker?.close({ graceMs: 0 });
  });

  /** A namespace with the mock's key, a default Model and an Agent named `forecaster`. */
  async function withAgent(): Promise<string> {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "forecaster");
    return ns;
  }

  /** The job the controller enqueued for the query, as the bus hands it to a worker. */
  function jobFor(ns: string, name: string): QueryRunJob {
    const call = enqueued.mock.calls.find(([job]) => job.namespace === ns && job.name === name);
    if (!call) throw new Error(`no run job was enqueued for ${ns}/${name}`);
    return QueryRunJob.parse(call[0]);
  }

  it("answers a query on the first delivery without a GET of the Query, streaming as its annotation asks", async () => {
    answerQueries(suite.stack.mock, "It is sunny.");
    const ns = await withAgent();
    await suite.stack.resources.ark.queries.create({
      metadata: {
        name: "weather",
        namespace: ns,
        annotations: { [STREAMING_ANNOTATION]: "true", "kubectl.kubernetes.io/last-applied-configuration": "{}" },
      },
      spec: { input: "Weather?", target: { type: "agent", name: "forecaster" } },
    });

    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "weather");
    expect(query.status).toMatchObject({ phase: "done", response: { target: { type: "agent", name: "forecaster" }, content: "It is sunny." } });
    expect(counted.reads).not.toContain(`${ns}/weather`);
    expect(queryRequests(suite.stack.mock)[0]?.body).toMatchObject({ stream: true });
    expect(jobFor(ns, "weather").query).toEqual({
      metadata: { name: "weather", namespace: ns, uid: query.metadata.uid, annotations: { [STREAMING_ANNOTATION]: "true" } },
      spec: query.spec,
    });
  });

  it("reads the Query on a redelivery and does not run it again once it finished or was deleted", async () => {
    answerQueries(suite.stack.mock, "once");
    const ns = await withAgent();
    await suite.stack.resources.ark.queries.create({ metadata: { name: "q", namespace: ns }, spec: { input: "hi", target: { type: "agent", name: "forecaster" } } });
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, "q")).status?.phase).toBe("done");
    const job = jobFor(ns, "q");
    expect(job.query).toBeDefined();
    const modelCalls = queryRequests(suite.stack.mock).length;
    // Its own bus, so the controller never sees what a second run would publish.
    const replay = new MemoryQueryBus<QueryEvent>();
    const handle = queryRunHandler({ resources: counted.resources, bus: replay, providerOptions: FAST_RETRIES });
    const readsOfQuery = () => counted.reads.filter((read) => read === `${ns}/q`).length;

    await handle(job, delivery(2));
    expect(await replay.lastEvent(job)).toBeUndefined();
    expect(queryRequests(suite.stack.mock)).toHaveLength(modelCalls);
    expect(readsOfQuery()).toBe(1);

    await suite.stack.resources.ark.queries.delete(ns, "q");
    await expect.poll(() => suite.stack.resources.ark.queries.get(ns, "q"), WITHIN_TEST_TIMEOUT).toBeUndefined();
    await handle(job, delivery(2));
    expect(await replay.lastEvent(job)).toBeUndefined();
    expect(queryRequests(suite.stack.mock)).toHaveLength(modelCalls);
    expect(readsOfQuery()).toBe(2);
    await replay.close();
  });

  it("does not run a first delivery whose Query is not the one the job names (another uid)", async () => {
    answerQueries(suite.stack.mock, "never");
    const ns = await withAgent();
    await suite.stack.resources.ark.queries.create({ metadata: { name: "q", namespace: ns }, spec: { input: "hi", target: { type: "agent", name: "forecaster" } } });
    await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    const job = jobFor(ns, "q");
    const modelCalls = queryRequests(suite.stack.mock).length;
    const replay = new MemoryQueryBus<QueryEvent>();
    const handle = queryRunHandler({ resources: counted.resources, bus: replay, providerOptions: FAST_RETRIES });

    await handle({ ...job, query: { ...job.query!, metadata: { ...job.query!.metadata, uid: "an-older-query" } } }, delivery(1));
    expect(await replay.lastEvent(job)).toBeUndefined();
    expect(queryRequests(suite.stack.mock)).toHaveLength(modelCalls);
    await replay.close();
  });
});
