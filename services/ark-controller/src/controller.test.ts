import type { CoreV1Event } from "@kubernetes/client-node";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { eventsUntilTerminal } from "./test-support/bus-events.js";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests } from "./test-support/manifests.js";

describe.skipIf(!testPostgres())("ark-controller on the in-process bus", () => {
  const suite = useControllerSuite();

  /** A namespace with the mock's key Secret and a Model named `model`. */
  async function withModel(model = "default", properties?: Record<string, string>) {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, model, { secret: "mock-key", ...(properties ? { properties } : {}) });
    return ns;
  }

  it("runs a query applied before its agent, model and secret: done with the answer, tokens, duration and conditions", async () => {
    answerQueries(suite.stack.mock, { text: "It is sunny.", usage: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 } });
    const ns = await freshNamespace(suite.stack);
    await createQuery(suite.stack, ns, "weather", { input: "Weather?", target: { type: "agent", name: "forecaster" } });
    await createAgent(suite.stack, ns, "forecaster", { modelRef: { name: "gpt" } });
    await createMockModel(suite.stack, ns, "gpt", { secret: "mock-key" });
    await createApiKeySecret(suite.stack, ns, "mock-key");

    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "weather");
    expect(query.status).toMatchObject({
      phase: "done",
      responses: [{ target: { type: "agent", name: "forecaster" }, content: "It is sunny." }],
      response: { target: { type: "agent", name: "forecaster" }, content: "It is sunny." },
      tokenUsage: { promptTokens: 21, completionTokens: 4, totalTokens: 25 },
    });
    expect(query.status?.duration).toMatch(/^[0-9.]+(ms|s)$/);
    expect(query.status?.conditions?.find((c) => c.type === "Completed")).toMatchObject({ status: "True", reason: "Succeeded" });
    const reasons = await eventReasons(ns, "weather", "TargetExecutionComplete");
    expect(reasons).toEqual(expect.arrayContaining(["QueryResolveStart", "TargetExecutionComplete"]));
    const agent = await suite.stack.resources.ark.agents.get(ns, "forecaster");
    expect(agent?.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "True" });
    const model = await readyModel(ns, "gpt");
    expect(model.status?.phase).toBe("ready");
  });

  it("falls back to the Model named default and passes its properties to the provider", async () => {
    answerQueries(suite.stack.mock, "fine");
    const ns = await withModel("default", { temperature: "0.2", max_tokens: "64" });
    await createAgent(suite.stack, ns, "plain");
    await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "agent", name: "plain" } });
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, "q")).status?.phase).toBe("done");
    const [request] = queryRequests(suite.stack.mock);
    expect(request?.body).toMatchObject({ model: "mock-model", temperature: 0.2, max_tokens: 64 });
    const metrics = await (await fetch(`${suite.controller.url}/metrics`)).text();
    expect(metrics).toMatch(/ark_query_runs_total\{outcome="completed"[^}]*\} [1-9]/);
  });

  it("fills query input and agent prompt parameters from a ConfigMap and a Secret applied after the query", async () => {
    answerQueries(suite.stack.mock, "ok");
    const ns = await withModel();
    await createAgent(suite.stack, ns, "templated", {
      prompt: "Be {{.tone}}.",
      parameters: [{ name: "tone", valueFrom: { configMapKeyRef: { name: "settings", key: "tone" } } }],
    });
    await createQuery(suite.stack, ns, "q", {
      input: "Weather in {{.city}} for {{.code}}?",
      parameters: [
        { name: "city", valueFrom: { configMapKeyRef: { name: "settings", key: "city" } } },
        { name: "code", valueFrom: { secretKeyRef: { name: "codes", key: "code" } } },
      ],
      target: { type: "agent", name: "templated" },
    });
    const waiting = await vi.waitFor(async () => {
      const q = await suite.stack.resources.ark.queries.get(ns, "q");
      expect(q?.status?.message, "the waiting query's message").toBeTruthy();
      return q!;
    }, WITHIN_TEST_TIMEOUT);
    expect(waiting.status?.message).toContain(`query ${ns}/q: spec.parameters: parameter city`);
    await suite.stack.resources.core.configMaps.create({ metadata: { name: "settings", namespace: ns }, data: { city: "Lisbon", tone: "brief" } });
    await suite.stack.resources.core.secrets.create({ metadata: { name: "codes", namespace: ns }, stringData: { code: "X-42" } });
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, "q")).status?.phase).toBe("done");
    const messages = (queryRequests(suite.stack.mock)[0]!.body as { messages: unknown[] }).messages;
    expect(messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Lisbon for X-42?" },
    ]);
  });

  it("runs the agents spec.selector picks by label", async () => {
    answerQueries(suite.stack.mock, (request) => ({ text: `answer to ${request.lastUserText}` }));
    const ns = await withModel();
    await suite.stack.resources.ark.agents.create({ metadata: { name: "blue", namespace: ns, labels: { crew: "blue" } }, spec: {} });
    await createAgent(suite.stack, ns, "plain");
    await createQuery(suite.stack, ns, "q", { input: "hi", selector: { matchExpressions: [{ key: "crew", operator: "In", values: ["blue", "green"] }] } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status).toMatchObject({ phase: "done", responses: [{ target: { type: "agent", name: "blue" }, content: "answer to hi" }] });
  });

  it("returns structured output, and fails naming the problem when the model's JSON is invalid", async () => {
    const ns = await withModel();
    const outputSchema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    await createAgent(suite.stack, ns, "structured", { outputSchema });
    answerQueries(suite.stack.mock, { json: { city: "Porto" } });
    await createQuery(suite.stack, ns, "good", { input: "city?", target: { type: "agent", name: "structured" } });
    const good = await finishedQuery(suite.stack.resources.ark.queries, ns, "good");
    expect(good.status?.phase).toBe("done");
    expect(JSON.parse(good.status?.responses?.[0]?.content ?? "")).toEqual({ city: "Porto" });
    expect(queryRequests(suite.stack.mock)[0]?.body).toMatchObject({ response_format: { type: "json_schema" } });

    answerQueries(suite.stack.mock, "not json {");
    await createQuery(suite.stack, ns, "bad", { input: "city?", target: { type: "agent", name: "structured" } });
    const bad = await finishedQuery(suite.stack.resources.ark.queries, ns, "bad");
    expect(bad.status?.phase).toBe("error");
    expect(bad.status?.message).toContain(`agent ${ns}/structured`);
    expect(bad.status?.message).toMatch(/JSON/i);
    expect(bad.status?.errors?.[0]?.target).toEqual({ type: "agent", name: "structured" });
  });

  it("fails a query whose agent's model never appears, naming the agent, the model and the namespace", async () => {
    const ns = await freshNamespace(suite.stack);
    await createAgent(suite.stack, ns, "lost", { modelRef: { name: "gpt" } });
    await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "agent", name: "lost" } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status).toMatchObject({ phase: "error", message: `agent ${ns}/lost: model "gpt" not found in namespace ${ns}` });
    expect(query.status?.conditions?.find((c) => c.type === "Resolved")).toMatchObject({ status: "False", reason: "ReferenceNotFound" });
    const agent = await suite.stack.resources.ark.agents.get(ns, "lost");
    expect(agent?.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "False", message: expect.stringContaining('model "gpt" not found') });
  });

  it("fails a query whose target agent never appears, naming the field spec.target", async () => {
    const ns = await freshNamespace(suite.stack);
    await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "agent", name: "nobody" } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status).toMatchObject({ phase: "error", message: `query ${ns}/q: spec.target: agent "nobody" not found in namespace ${ns}` });
  });

  it("fails a query whose model's Secret lacks the key, and marks the Model unavailable, naming the Secret and key", async () => {
    answerQueries(suite.stack.mock, "never");
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.core.secrets.create({ metadata: { name: "mock-key", namespace: ns }, stringData: { wrong: "sk" } });
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "a");
    await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status?.phase).toBe("error");
    expect(query.status?.message).toBe(`agent ${ns}/a: model ${ns}/default: spec.config.openai.apiKey: key token not found in secret ${ns}/mock-key`);
    const model = await suite.stack.resources.ark.models.get(ns, "default");
    expect(model?.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "False", reason: "ProbeFailed" });
    expect(queryRequests(suite.stack.mock)).toHaveLength(0);
  });

  it("reports a team's missing members in its Available condition until they exist", async () => {
    const ns = await withModel();
    await suite.stack.resources.ark.teams.create({ metadata: { name: "crew", namespace: ns }, spec: { strategy: "sequential", members: [{ name: "m1", type: "agent" }] } });
    const missing = await availableCondition(() => suite.stack.resources.ark.teams.get(ns, "crew"), "False");
    expect(missing.message).toBe(`team ${ns}/crew: spec.members[0]: agent "m1" not found in namespace ${ns}`);
    await createAgent(suite.stack, ns, "m1");
    await availableCondition(() => suite.stack.resources.ark.teams.get(ns, "crew"), "True");
  });

  it("fails with the provider's error after bounded retries when it keeps answering 500", async () => {
    const ns = await withModel();
    await createAgent(suite.stack, ns, "a");
    answerQueries(suite.stack.mock, { error: { status: 500, message: "upstream exploded" } });
    await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status?.phase).toBe("error");
    expect(query.status?.message).toContain(`agent ${ns}/a execution failed`);
    expect(query.status?.message).toContain("500");
    expect(queryRequests(suite.stack.mock).length).toBeGreaterThan(1);
  });

  it("times out by spec.timeout with a message saying so", async () => {
    const ns = await withModel();
    await createAgent(suite.stack, ns, "slow");
    answerQueries(suite.stack.mock, { hang: true });
    await createQuery(suite.stack, ns, "q", { input: "hi", timeout: "1s", target: { type: "agent", name: "slow" } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status?.phase).toBe("error");
    expect(query.status?.message).toContain("timed out after 1s (spec.timeout");
    expect(query.status?.conditions?.find((c) => c.type === "Completed")).toMatchObject({ reason: "TimedOut" });
  });

  it("cancels a running query: the in-flight model call is aborted and the query stays canceled", async () => {
    const ns = await withModel();
    await createAgent(suite.stack, ns, "a");
    answerQueries(suite.stack.mock, { hang: true });
    const created = await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "agent", name: "a" } });
    const ref = { namespace: ns, name: "q", queryUid: created.metadata.uid! };
    const events = eventsUntilTerminal(suite.bus, ref);
    await expect.poll(async () => (await suite.stack.resources.ark.queries.get(ns, "q"))?.status?.phase, WITHIN_TEST_TIMEOUT).toBe("running");
    await expect.poll(() => queryRequests(suite.stack.mock).length, WITHIN_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    await suite.stack.resources.ark.queries.patch(ns, "q", { spec: { cancel: true } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status?.phase).toBe("canceled");
    const types = (await events).map((e) => e.type);
    expect(types).toContain("llm.call.failed");
    expect(types.at(-1)).toBe("query.canceled");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await suite.stack.resources.ark.queries.get(ns, "q"))?.status?.phase).toBe("canceled");
  });

  it("stops the work of a running query that is deleted, and deletes finished queries after their ttl", async () => {
    const ns = await withModel();
    await createAgent(suite.stack, ns, "a");
    answerQueries(suite.stack.mock, { hang: true });
    const created = await createQuery(suite.stack, ns, "doomed", { input: "hi", target: { type: "agent", name: "a" } });
    const events = eventsUntilTerminal(suite.bus, { namespace: ns, name: "doomed", queryUid: created.metadata.uid! });
    await expect.poll(() => queryRequests(suite.stack.mock).length, WITHIN_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    // Running: the finalizer holds a delete until the run is canceled.
    await expect.poll(async () => (await suite.stack.resources.ark.queries.get(ns, "doomed"))?.metadata.finalizers, WITHIN_TEST_TIMEOUT).toContain("ark.mckinsey.com/finalizer");
    await suite.stack.resources.ark.queries.delete(ns, "doomed");
    await expect.poll(() => suite.stack.resources.ark.queries.get(ns, "doomed"), WITHIN_TEST_TIMEOUT).toBeUndefined();
    expect((await events).at(-1)).toMatchObject({ type: "query.canceled", message: "the query was deleted" });

    answerQueries(suite.stack.mock, "short-lived");
    await createQuery(suite.stack, ns, "brief", { input: "hi", ttl: "2s", target: { type: "agent", name: "a" } });
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, "brief")).status?.phase).toBe("done");
    await expect.poll(() => suite.stack.resources.ark.queries.get(ns, "brief"), WITHIN_TEST_TIMEOUT).toBeUndefined();
  });

  it("stops the run of a query deleted at any moment after it is created, with its finalizer on or not yet", async () => {
    const ns = await withModel();
    await createAgent(suite.stack, ns, "a");
    answerQueries(suite.stack.mock, { hang: true });
    const refs: Array<{ namespace: string; name: string; queryUid: string }> = [];
    // Deletes land before the run starts, between its start and the finalizer, and after it.
    for (const delayMs of [0, 1, 3, 6, 10, 20, 40, 80]) {
      const name = `gone-${delayMs}`;
      const created = await createQuery(suite.stack, ns, name, { input: name, target: { type: "agent", name: "a" } });
      refs.push({ namespace: ns, name, queryUid: created.metadata.uid! });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await suite.stack.resources.ark.queries.delete(ns, name);
    }
    for (const ref of refs) await expect.poll(() => suite.stack.resources.ark.queries.get(ns, ref.name), WITHIN_TEST_TIMEOUT).toBeUndefined();
    // Every run that reached the model ends canceled: none is left waiting on it.
    const reached = refs.filter((ref) => queryRequests(suite.stack.mock).some((r) => JSON.stringify(r.body).includes(`"content":"${ref.name}"`)));
    expect(reached.length).toBeGreaterThan(0);
    for (const ref of reached) {
      const stillGoing = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the run of ${ref.name} is still going`)), 10_000).unref());
      expect((await Promise.race([eventsUntilTerminal(suite.bus, ref), stillGoing])).at(-1)).toMatchObject({ type: "query.canceled" });
    }
  });

  /** The Available condition once it has `status`. */
  function availableCondition(read: () => Promise<{ status?: { conditions?: { type: string; status: string; message?: string }[] } } | undefined>, status: string) {
    return vi.waitFor(async () => {
      const condition = (await read())?.status?.conditions?.find((c) => c.type === "Available");
      expect(condition, "the Available condition").toMatchObject({ status });
      return condition!;
    }, WITHIN_TEST_TIMEOUT);
  }

  function readyModel(ns: string, name: string) {
    return vi.waitFor(async () => {
      const model = await suite.stack.resources.ark.models.get(ns, name);
      expect(model?.status, `model ${ns}/${name}`).toMatchObject({ phase: "ready" });
      return model!;
    }, WITHIN_TEST_TIMEOUT);
  }

  /** Reasons of the Events about one query, once `until` is among them. */
  function eventReasons(ns: string, name: string, until: string): Promise<string[]> {
    return vi.waitFor(
      async () => {
        const list = await suite.stack.resources.core.api.listNamespacedEvent({ namespace: ns });
        const reasons = list.items.filter((e: CoreV1Event) => e.involvedObject.name === name).map((e: CoreV1Event) => e.reason ?? "");
        expect(reasons, `reasons of the Events about ${name}`).toContain(until);
        return reasons;
      },
      { ...WITHIN_TEST_TIMEOUT, interval: 100 },
    );
  }
});
