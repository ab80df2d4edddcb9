import { collectionPath, type Query } from "@ark/kube";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { QUERY_FINALIZER, queryKind } from "@ark/types";
import { Watch } from "@kubernetes/client-node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { eventsUntilTerminal } from "./test-support/bus-events.js";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests } from "./test-support/manifests.js";

// A query's `running` write waits QUERY_RUNNING_WRITE_DELAY after the enqueue (docs/architecture.md §3): a run that
// ends sooner goes straight to its final status. The delay is long here, so a quick run always ends first.
describe.skipIf(!testPostgres())("the running status write of a query (QUERY_RUNNING_WRITE_DELAY)", () => {
  const suite = useControllerSuite({ QUERY_RUNNING_WRITE_DELAY: "3s" });
  const watches: AbortController[] = [];
  afterEach(() => watches.splice(0).forEach((watch) => watch.abort()));

  async function namespaceWithAgent() {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "a");
    return ns;
  }

  /** Every phase the API stored for the namespace's queries, in order, as a watcher sees them. */
  async function watchPhases(ns: string): Promise<Map<string, string[]>> {
    const phases = new Map<string, string[]>();
    const watch = await new Watch(suite.stack.kc).watch(
      collectionPath(queryKind, ns),
      {},
      (_type: string, query: Query) => {
        const name = query.metadata.name ?? "";
        const seen = phases.get(name) ?? [];
        const phase = query.status?.phase ?? "";
        if (seen.at(-1) !== phase) seen.push(phase);
        phases.set(name, seen);
      },
      () => undefined,
    );
    watches.push(watch);
    return phases;
  }

  it("a run that ends before the running write goes straight to its final status, with the conditions of one that showed running", async () => {
    answerQueries(suite.stack.mock, "quick");
    const ns = await namespaceWithAgent();
    const phases = await watchPhases(ns);
    const created = await createQuery(suite.stack, ns, "fast", { input: "hi", target: { type: "agent", name: "a" } });
    const events = eventsUntilTerminal(suite.bus, { namespace: ns, name: "fast", queryUid: created.metadata.uid! });

    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "fast");
    expect(query.status).toMatchObject({ phase: "done", response: { content: "quick" } });
    const conditions = Object.fromEntries((query.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conditions.Resolved).toMatchObject({ status: "True", reason: "ReferencesResolved" });
    expect(conditions.Running).toMatchObject({ status: "False", reason: "Succeeded" });
    expect(conditions.Completed).toMatchObject({ status: "True", reason: "Succeeded" });
    // No finalizer was needed: the run had ended before the query could be seen running.
    expect(query.metadata.finalizers ?? []).not.toContain(QUERY_FINALIZER);
    // Its event stream still tells the run from its start.
    expect((await events).map((e) => e.type)).toEqual(expect.arrayContaining(["query.started", "query.completed"]));
    await expect.poll(() => phases.get("fast")?.at(-1), WITHIN_TEST_TIMEOUT).toBe("done");
    expect(phases.get("fast")).not.toContain("running");
  });

  it("a run canceled before its running write ends canceled with the conditions of one that showed running", async () => {
    answerQueries(suite.stack.mock, { hang: true });
    const ns = await namespaceWithAgent();
    await createQuery(suite.stack, ns, "early", { input: "hi", target: { type: "agent", name: "a" } });
    await expect.poll(() => queryRequests(suite.stack.mock).length, WITHIN_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    await suite.stack.resources.ark.queries.patch(ns, "early", { spec: { cancel: true } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "early");
    expect(query.status?.phase).toBe("canceled");
    const conditions = Object.fromEntries((query.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conditions.Resolved).toMatchObject({ status: "True", reason: "ReferencesResolved" });
    expect(conditions.Running).toMatchObject({ status: "False", reason: "Canceled" });
    expect(conditions.Completed).toMatchObject({ status: "True", reason: "Canceled" });
  });

  it("a run still going after the delay shows running, with its finalizer, and ends as usual", async () => {
    answerQueries(suite.stack.mock, { hang: true });
    const ns = await namespaceWithAgent();
    const phases = await watchPhases(ns);
    await createQuery(suite.stack, ns, "slow", { input: "hi", target: { type: "agent", name: "a" } });
    await expect.poll(() => queryRequests(suite.stack.mock).length, WITHIN_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);

    const query = await vi.waitFor(async () => {
      const query = await suite.stack.resources.ark.queries.get(ns, "slow");
      expect(query?.status?.phase).toBe("running");
      expect(query?.metadata.finalizers).toContain(QUERY_FINALIZER);
      return query!;
    }, WITHIN_TEST_TIMEOUT);
    const conditions = Object.fromEntries((query.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conditions.Running).toMatchObject({ status: "True", reason: "Enqueued" });
    expect(conditions.Completed).toMatchObject({ status: "False", reason: "Running" });

    await suite.stack.resources.ark.queries.patch(ns, "slow", { spec: { cancel: true } });
    const ended = await finishedQuery(suite.stack.resources.ark.queries, ns, "slow");
    expect(ended.status?.phase).toBe("canceled");
    expect(ended.status?.conditions?.find((c) => c.type === "Running")).toMatchObject({ status: "False", reason: "Canceled" });
    await expect.poll(() => phases.get("slow")?.at(-1), WITHIN_TEST_TIMEOUT).toBe("canceled");
    expect(phases.get("slow")).toContain("running");
  });
});
