import type { Evaluation, Query } from "@ark/kube";
import { startRecordingServer, type RecordedHttpRequest, type RecordingServer } from "@ark/testing";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { EVALUATOR_TOKEN_AUDIENCE, verifyNamespaceToken } from "@ark/service-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryQueryBus } from "@ark/bus";
import { isFinishedEvaluationPhase, type QueryEvent } from "@ark/types";
import { startApiStack, type ApiStack } from "./test-support/api-stack.js";
import { startTestController, useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createApiKeySecret, createMockModel, freshNamespace, uniqueName } from "./test-support/manifests.js";
import { freePort } from "@ark/service-kit";

/** Shared with the test evaluator, as with evaluator-llm: calls carry a token for the namespace judged. */
const AUTH_SECRET = "evaluator-test-secret-0123456789abcdef";

type Answer = (body: Record<string, unknown>) => { status?: number; json?: unknown; text?: string; delayMs?: number };

/** A test evaluator: /health answers 200, POST /evaluate answers through `answer`, counting calls in flight. */
interface TestEvaluator {
  server: RecordingServer;
  address: string;
  answer(next: Answer): void;
  /** Most POSTs in flight at once since the last reset. */
  maxInFlight(): number;
  posts(): RecordedHttpRequest[];
  reset(): void;
}

async function startTestEvaluator(): Promise<TestEvaluator> {
  let answer: Answer = () => ({ json: { score: "0.9", passed: true, metadata: { reasoning: "good answer" }, tokenUsage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } } });
  let inFlight = 0;
  let max = 0;
  const server = await startRecordingServer((request, res) => {
    if (request.method === "GET") {
      res.writeHead(request.url === "/health" ? 200 : 404).end("{}");
      return;
    }
    inFlight++;
    max = Math.max(max, inFlight);
    const reply = answer(JSON.parse(request.body || "{}") as Record<string, unknown>);
    setTimeout(() => {
      inFlight--;
      const body = reply.text ?? JSON.stringify(reply.json ?? {});
      res.writeHead(reply.status ?? 200, { "content-type": "application/json" }).end(body);
    }, reply.delayMs ?? 0);
  });
  return {
    server,
    address: `${server.url}/evaluate`,
    answer: (next) => (answer = next),
    maxInFlight: () => max,
    posts: () => server.requests.filter((r) => r.method === "POST"),
    reset() {
      server.requests.length = 0;
      max = 0;
    },
  };
}

describe.skipIf(!testPostgres())("evaluations", () => {
  const suite = useControllerSuite({ EVALUATOR_AUTH_SECRET: AUTH_SECRET });
  let evaluator: TestEvaluator;

  beforeAll(async () => {
    evaluator = await startTestEvaluator();
  });
  afterAll(async () => {
    await evaluator?.server.close();
  });
  beforeEach(() => {
    evaluator.reset();
    evaluator.answer(() => ({ json: { score: "0.9", passed: true, metadata: { reasoning: "good answer" }, tokenUsage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } } }));
    answerQueries(suite.stack.mock, "Paris is the capital of France.");
  });

  const ark = () => suite.stack.resources.ark;

  /** The Evaluation once `done` holds for it (by default: once it has finished). */
  function evaluationOnce(ns: string, name: string, done: (e: Evaluation) => boolean = (e) => isFinishedEvaluationPhase(e.status?.phase)): Promise<Evaluation> {
    return vi.waitFor(
      async () => {
        const evaluation = await ark().evaluations.get(ns, name);
        if (evaluation && done(evaluation)) return evaluation;
        throw new Error(`evaluation ${ns}/${name} is not there yet; last seen: ${evaluation ? JSON.stringify(evaluation.status) : "not found"}`);
      },
      { ...WITHIN_TEST_TIMEOUT, interval: 100 },
    );
  }

  async function setup(options: { evaluatorLabels?: Record<string, string>; address?: string } = {}): Promise<{ ns: string; judge: string }> {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "key");
    await createMockModel(suite.stack, ns, "default", { secret: "key" });
    const judge = uniqueName("judge");
    await ark().evaluators.create({
      metadata: { name: judge, namespace: ns, ...(options.evaluatorLabels ? { labels: options.evaluatorLabels } : {}) },
      spec: { address: { value: options.address ?? evaluator.address }, parameters: [{ name: "threshold", value: "0.7" }] },
    });
    return { ns, judge };
  }

  const direct = (ns: string, name: string, judge: string, extra: Record<string, unknown> = {}) =>
    ark().evaluations.create({
      metadata: { name, namespace: ns },
      spec: { type: "direct", config: { input: "capital of France?", output: "Paris" }, evaluator: { name: judge }, ...extra } as Evaluation["spec"],
    });

  it("an Evaluator is Ready when /health next to its address answers, in error when nothing listens", async () => {
    const { ns, judge } = await setup();
    const ready = await probedEvaluator(ns, judge);
    expect(ready.status).toMatchObject({ phase: "ready", lastResolvedAddress: evaluator.address });
    expect(ready.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "True", reason: "ProbeSucceeded" });

    const down = `http://127.0.0.1:${await freePort()}/evaluate`;
    await ark().evaluators.create({ metadata: { name: "down", namespace: ns }, spec: { address: { value: down } } });
    const failed = await probedEvaluator(ns, "down");
    expect(failed.status).toMatchObject({ phase: "error", message: expect.stringContaining("not reachable") });
    expect(failed.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "ProbeFailed" });
  });

  /** The Evaluator once it has been probed (its Ready condition is set, either way). */
  function probedEvaluator(ns: string, name: string) {
    return vi.waitFor(
      async () => {
        const e = await ark().evaluators.get(ns, name);
        expect(
          e?.status?.conditions?.map((c) => c.type),
          `evaluator ${ns}/${name}'s conditions`,
        ).toContain("Ready");
        return e!;
      },
      { ...WITHIN_TEST_TIMEOUT, interval: 100 },
    );
  }

  it("a query with an evaluator ends done with the score in status.evaluations, evaluator tokens apart", async () => {
    const { ns, judge } = await setup();
    evaluator.answer(() => ({ json: { score: "0.9", passed: true, metadata: { reasoning: "good answer" }, tokenUsage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } }, delayMs: 800 }));
    const phases = new Set<string>();
    await ark().queries.create({ metadata: { name: "q", namespace: ns }, spec: { input: "capital of France?", target: { type: "model", name: "default" }, evaluators: [{ name: judge }] } });
    const queries = suite.stack.resources.ark.queries;
    const query = await finishedQuery(
      {
        get: async (namespace, name) => {
          const q = await queries.get(namespace, name);
          if (q?.status?.phase) phases.add(q.status.phase);
          return q;
        },
      },
      ns,
      "q",
    );
    expect(query.status).toMatchObject({
      phase: "done",
      evaluations: [{ evaluatorName: judge, score: "0.9", passed: true, metadata: { reasoning: "good answer" } }],
      evaluationTokenUsage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
      response: { content: "Paris is the capital of France." },
    });
    expect(query.status?.tokenUsage?.totalTokens).not.toBe(15);
    const [post] = evaluator.posts();
    const token = /^Bearer (.+)$/.exec(post?.headers.authorization ?? "")?.[1] ?? "";
    expect(verifyNamespaceToken(AUTH_SECRET, EVALUATOR_TOKEN_AUDIENCE, token)).toBe(ns);
    const body = JSON.parse(post?.body ?? "{}") as Record<string, unknown>;
    expect(body).toMatchObject({
      queryId: query.metadata.uid,
      input: "capital of France?",
      responses: [{ target: { type: "model", name: "default" }, content: "Paris is the capital of France." }],
      parameters: { threshold: "0.7", "model.namespace": ns },
      evaluatorName: judge,
    });
    expect(phases).toContain("evaluating");
  });

  it("an evaluator that errors never fails the query: the error is recorded for that evaluator", async () => {
    const { ns, judge } = await setup();
    evaluator.answer(() => ({ status: 500, text: "judge exploded" }));
    await ark().queries.create({ metadata: { name: "q", namespace: ns }, spec: { input: "hi", target: { type: "model", name: "default" }, evaluators: [{ name: judge }, { name: "missing" }] } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status?.phase).toBe("done");
    expect(query.status?.evaluations).toEqual([
      { evaluatorName: judge, passed: false, metadata: { error: expect.stringMatching(/evaluator .* answered HTTP 500: judge exploded/) } },
      { evaluatorName: "missing", passed: false, metadata: { error: `evaluator 'missing' not found in namespace '${ns}'` } },
    ]);
  });

  it("a selector evaluator evaluates every matching finished query, and no other", async () => {
    const { ns, judge } = await setup();
    await ark().evaluators.patch(ns, judge, { spec: { selector: { resourceType: "Query", matchLabels: { suite: "regression" } } } } as never);
    for (const [name, labels] of [
      ["a", { suite: "regression" }],
      ["b", { suite: "regression" }],
      ["c", { suite: "other" }],
    ] as const) {
      await ark().queries.create({ metadata: { name, namespace: ns, labels }, spec: { input: `question ${name}`, target: { type: "model", name: "default" } } });
    }
    for (const name of ["a", "b"]) {
      const evaluation = await evaluationOnce(ns, `${judge}-${name}-eval`);
      expect(evaluation.status).toMatchObject({ phase: "done", score: "0.9", passed: true });
      expect(evaluation.metadata.labels).toMatchObject({ "ark.mckinsey.com/evaluator": judge, "ark.mckinsey.com/query": name, "ark.mckinsey.com/auto": "true" });
      expect(evaluation.spec).toMatchObject({ type: "query", config: { queryRef: { name, namespace: ns } } });
    }
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, "c")).status?.phase).toBe("done");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const all = await ark().evaluations.list(ns);
    expect(all.map((e) => e.metadata.name).sort()).toEqual([`${judge}-a-eval`, `${judge}-b-eval`]);
    const queried = evaluator.posts().map((p) => (JSON.parse(p.body) as { config?: { queryRef?: { name?: string } } }).config?.queryRef?.name);
    expect(queried.sort()).toEqual(["a", "b"]);
  });

  it("a direct evaluation records score, metadata (status and annotations) and duration", async () => {
    const { ns, judge } = await setup();
    await direct(ns, "direct", judge, { evaluator: { name: judge, parameters: [{ name: "threshold", value: "0.5" }] } });
    const evaluation = await evaluationOnce(ns, "direct");
    expect(evaluation.status).toMatchObject({
      phase: "done",
      message: "Direct evaluation completed successfully",
      score: "0.9",
      passed: true,
      metadata: { reasoning: "good answer" },
      tokenUsage: { totalTokens: 15 },
    });
    expect(evaluation.status?.duration).toMatch(/s$/);
    expect(evaluation.metadata.annotations).toMatchObject({ "evaluation.metadata/reasoning": "good answer" });
    const body = JSON.parse(evaluator.posts()[0]?.body ?? "{}") as Record<string, unknown>;
    expect(body).toEqual({ type: "direct", config: { input: "capital of France?", output: "Paris" }, parameters: { threshold: "0.5", "model.namespace": ns }, evaluatorName: judge });
  });

  it("an evaluator that answers garbage, a score outside 0..1, or is down ends the evaluation in error naming it", async () => {
    const { ns, judge } = await setup();
    evaluator.answer((body) => (((body.config as { input?: string }).input ?? "") === "garbage" ? { text: "<html>oops</html>" } : { json: { score: "85", passed: true } }));
    await ark().evaluations.create({ metadata: { name: "garbage", namespace: ns }, spec: { type: "direct", config: { input: "garbage", output: "x" }, evaluator: { name: judge } } });
    await direct(ns, "percent", judge);
    const down = `http://127.0.0.1:${await freePort()}/evaluate`;
    await ark().evaluators.create({ metadata: { name: "down", namespace: ns }, spec: { address: { value: down } } });
    await direct(ns, "unreachable", "down");

    const garbage = await evaluationOnce(ns, "garbage");
    expect(garbage.status).toMatchObject({ phase: "error", message: expect.stringMatching(new RegExp(`^Evaluator call failed: evaluator ${ns}/${judge} at .* answered something that is not JSON: <html>oops`)) });
    const percent = await evaluationOnce(ns, "percent");
    expect(percent.status).toMatchObject({ phase: "error", message: expect.stringContaining("score: a score is a decimal in 0..1") });
    const unreachable = await evaluationOnce(ns, "unreachable");
    expect(unreachable.status).toMatchObject({ phase: "error", message: expect.stringContaining(`evaluator ${ns}/down at ${down} is not reachable`) });
  });

  it("an evaluator's own error (a judge model that does not exist) ends the evaluation in error with its words", async () => {
    const { ns, judge } = await setup();
    evaluator.answer(() => ({ json: { passed: false, error: `model 'judge' not found in namespace '${ns}'` } }));
    await direct(ns, "no-model", judge);
    const evaluation = await evaluationOnce(ns, "no-model");
    expect(evaluation.status).toMatchObject({
      phase: "error",
      message: `Evaluator call failed: evaluator ${ns}/${judge} at ${evaluator.address} failed: model 'judge' not found in namespace '${ns}'`,
    });
  });

  it("an event evaluation sends its rules and the query it is about, once the query is done", async () => {
    const { ns, judge } = await setup();
    await ark().queries.create({ metadata: { name: "q", namespace: ns }, spec: { input: "hi", target: { type: "model", name: "default" } } });
    const rules = [{ name: "answered", expression: "response.content != ''", weight: 1 }];
    await ark().evaluations.create({ metadata: { name: "events", namespace: ns }, spec: { type: "event", config: { rules, queryRef: { name: "q" } }, evaluator: { name: judge } } as never });
    const evaluation = await evaluationOnce(ns, "events");
    expect(evaluation.status).toMatchObject({ phase: "done", message: "Event evaluation completed with 1 rules - passed (score: 0.9)" });
    expect(JSON.parse(evaluator.posts()[0]?.body ?? "{}")).toEqual({
      type: "event",
      config: { rules, queryRef: { name: "q", namespace: ns } },
      parameters: { threshold: "0.7", "model.namespace": ns, "query.name": "q", "query.namespace": ns },
      evaluatorName: judge,
    });
  });

  it("a batch template evaluates each query its querySelector selects", async () => {
    const { ns, judge } = await setup();
    for (const name of ["q1", "q2", "other"]) {
      const labels: Record<string, string> = name === "other" ? {} : { set: "smoke" };
      await ark().queries.create({ metadata: { name, namespace: ns, labels }, spec: { input: `about ${name}`, target: { type: "model", name: "default" } } });
    }
    await ark().evaluations.create({
      metadata: { name: "smoke", namespace: ns },
      spec: {
        type: "batch",
        config: { template: { namePrefix: "judged", type: "query", config: {}, evaluator: { name: judge } }, querySelector: { matchLabels: { set: "smoke" } } },
        evaluator: { name: judge },
      } as never,
    });
    const batch = await evaluationOnce(ns, "smoke");
    expect(batch.status).toMatchObject({ phase: "done", score: "0.900", passed: true });
    expect(batch.status?.batchProgress?.childEvaluations?.map((c) => c.name)).toEqual(["judged-q1", "judged-q2"]);
    const child = await ark().evaluations.get(ns, "judged-q1");
    expect(child?.spec).toMatchObject({ type: "query", config: { queryRef: { name: "q1", namespace: ns } } });
  });

  it("an evaluator, query or evaluation of another namespace is used only when a ReferenceGrant there allows it", async () => {
    const { ns: theirs, judge } = await setup();
    await ark().queries.create({ metadata: { name: "private", namespace: theirs }, spec: { input: "secret question", target: { type: "model", name: "default" } } });
    expect((await finishedQuery(suite.stack.resources.ark.queries, theirs, "private")).status?.phase).toBe("done");
    const { ns: mine } = await setup();
    await direct(mine, "borrowed-judge", judge, { evaluator: { name: judge, namespace: theirs } });
    await ark().evaluations.create({ metadata: { name: "peek", namespace: mine }, spec: { type: "query", config: { queryRef: { name: "private", namespace: theirs } }, evaluator: { name: judge, namespace: theirs } } });
    await ark().queries.create({ metadata: { name: "q", namespace: mine }, spec: { input: "hi", target: { type: "model", name: "default" }, evaluators: [{ name: judge, namespace: theirs }] } });

    const refused = await evaluationOnce(mine, "borrowed-judge");
    expect(refused.status).toMatchObject({ phase: "error", message: expect.stringContaining(`Evaluator "${judge}" in namespace ${theirs} is not granted to Evaluation in namespace ${mine}`) });
    const query = await finishedQuery(suite.stack.resources.ark.queries, mine, "q");
    expect(query.status?.phase).toBe("done");
    expect(query.status?.evaluations?.[0]?.metadata?.error).toContain(`Evaluator "${judge}" in namespace ${theirs} is not granted to Query in namespace ${mine}`);
    expect(evaluator.posts()).toHaveLength(0);

    // Granting the evaluator (not the query) lets the direct evaluation through; the query stays refused.
    await ark().referenceGrants.create({ metadata: { name: "judges", namespace: theirs }, spec: { from: [{ kind: "Evaluation", namespace: mine }], to: [{ kind: "Evaluator" }] } });
    await ark().evaluations.delete(mine, "peek");
    await direct(mine, "granted-judge", judge, { evaluator: { name: judge, namespace: theirs } });
    await ark().evaluations.create({ metadata: { name: "peek", namespace: mine }, spec: { type: "query", config: { queryRef: { name: "private", namespace: theirs } }, evaluator: { name: judge, namespace: theirs } } });
    expect((await evaluationOnce(mine, "granted-judge")).status?.phase).toBe("done");
    expect((await evaluationOnce(mine, "peek")).status).toMatchObject({ phase: "error", message: expect.stringContaining(`Query "private" in namespace ${theirs} is not granted`) });
  });

  it("a query evaluation of a query not finished yet waits for it instead of failing", async () => {
    const { ns, judge } = await setup();
    await ark().evaluations.create({ metadata: { name: "early", namespace: ns }, spec: { type: "query", config: { queryRef: { name: "later" } }, evaluator: { name: judge } } });
    const waiting = await evaluationOnce(ns, "early", (e) => (e.status?.message ?? "").startsWith("waiting for query"));
    expect(waiting.status?.phase).toBe("running");
    await ark().queries.create({ metadata: { name: "later", namespace: ns }, spec: { input: "hi", target: { type: "model", name: "default" } } });
    const evaluation = await evaluationOnce(ns, "early");
    expect(evaluation.status).toMatchObject({ phase: "done", score: "0.9", message: "Query evaluation completed successfully" });
    expect(JSON.parse(evaluator.posts()[0]?.body ?? "{}")).toMatchObject({
      type: "query",
      config: { queryRef: { name: "later", namespace: ns, responseTarget: "" } },
      parameters: { queryRef: `${ns}/later` },
    });
  });

  it("a batch of 20 with concurrency 5 never has more than 5 children running, and aggregates their scores", async () => {
    const { ns, judge } = await setup();
    let n = 0;
    evaluator.answer(() => {
      n++;
      return { json: { score: n % 2 === 0 ? "0.8" : "0.6", passed: true }, delayMs: 150 };
    });
    const items = Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, type: "direct", config: { input: `q${i}`, output: `a${i}` }, evaluator: { name: judge } }));
    await ark().evaluations.create({ metadata: { name: "batch", namespace: ns }, spec: { type: "batch", config: { items, concurrency: 5 }, evaluator: { name: judge } } as never });
    const progress = await evaluationOnce(ns, "batch", (e) => (e.status?.batchProgress?.running ?? 0) > 0);
    expect(progress.status?.batchProgress?.total).toBe(20);
    expect(progress.status?.batchProgress?.running).toBeLessThanOrEqual(5);
    const batch = await evaluationOnce(ns, "batch");
    expect(evaluator.posts()).toHaveLength(20);
    expect(evaluator.maxInFlight()).toBeLessThanOrEqual(5);
    expect(evaluator.maxInFlight()).toBeGreaterThan(1);
    expect(batch.status).toMatchObject({ phase: "done", score: "0.700", passed: true, message: "Batch evaluation completed: 20/20 children passed" });
    expect(batch.status?.batchProgress).toMatchObject({ total: 20, completed: 20, failed: 0, running: 0 });
    const children = (await ark().evaluations.list(ns)).filter((e) => e.metadata.labels?.["parent-evaluation"] === "batch");
    expect(children).toHaveLength(20);
    expect(children.every((c) => c.metadata.ownerReferences?.[0]?.uid === batch.metadata.uid)).toBe(true);
  });

  it("a batch stops starting children after one fails unless continueOnFailure", async () => {
    const { ns, judge } = await setup();
    evaluator.answer((body) => (((body.config as { input?: string }).input ?? "") === "q0" ? { status: 500, text: "boom" } : { json: { score: "1", passed: true } }));
    const items = Array.from({ length: 4 }, (_, i) => ({ name: `c${i}`, type: "direct", config: { input: `q${i}`, output: "a" }, evaluator: { name: judge } }));
    await ark().evaluations.create({ metadata: { name: "stop", namespace: ns }, spec: { type: "batch", config: { items, concurrency: 1 }, evaluator: { name: judge } } as never });
    await ark().evaluations.create({
      metadata: { name: "go-on", namespace: ns },
      spec: { type: "batch", config: { items: items.map((i) => ({ ...i, name: `g${i.name}` })), concurrency: 1, continueOnFailure: true }, evaluator: { name: judge } } as never,
    });
    const stop = await evaluationOnce(ns, "stop");
    expect(stop.status).toMatchObject({ phase: "error", message: expect.stringMatching(/child 'stop-c0' ended error: .*3 not started/) });
    const goOn = await evaluationOnce(ns, "go-on");
    expect(goOn.status).toMatchObject({ phase: "done", passed: false, batchProgress: { total: 4, completed: 3, failed: 1 } });
    // The children are owned: deleting the batch deletes them.
    await ark().evaluations.delete(ns, "go-on");
    const children = async () => (await ark().evaluations.list(ns)).filter((e) => e.metadata.labels?.["parent-evaluation"] === "go-on").map((e) => e.metadata.name);
    await expect.poll(children, { ...WITHIN_TEST_TIMEOUT, interval: 100 }).toEqual([]);
  });

  it("ttl deletes a finished evaluation; timeout ends one whose evaluator does not answer in error", async () => {
    const { ns, judge } = await setup();
    evaluator.answer((body) => (((body.config as { input?: string }).input ?? "") === "slow" ? { json: { score: "1", passed: true }, delayMs: 10_000 } : { json: { score: "1", passed: true } }));
    await direct(ns, "short-lived", judge, { ttl: "2s" });
    await ark().evaluations.create({ metadata: { name: "slow", namespace: ns }, spec: { type: "direct", config: { input: "slow", output: "x" }, evaluator: { name: judge }, timeout: "1s" } });
    const slow = await evaluationOnce(ns, "slow");
    expect(slow.status).toMatchObject({ phase: "error", message: "Evaluation timed out: no result within spec.timeout 1s" });
    await evaluationOnce(ns, "short-lived");
    await expect.poll(() => ark().evaluations.get(ns, "short-lived"), { ...WITHIN_TEST_TIMEOUT, interval: 100 }).toBeUndefined();
  });

  it("a 10-case dataset runs against the target with a concurrency cap and produces the table", async () => {
    const { ns, judge } = await setup();
    const cases = Array.from({ length: 10 }, (_, i) => ({ input: `question ${i}`, expected: `answer ${i}` }));
    answerQueries(suite.stack.mock, (request) => `answer ${request.lastUserText.replace("question ", "")}`);
    evaluator.answer((body) => {
      const [c] = (body.config as { cases: { input: string; expected: string; output: string }[] }).cases;
      const good = c?.output === c?.expected && c?.input !== "question 9";
      // Good cases answer in evaluator-llm's shape (the case's reasoning in metadata.results), the others plainly.
      const metadata = good ? { reasoning: "1/1 cases passed", results: JSON.stringify([{ name: "x", passed: true, reasoning: "matches" }]) } : { reasoning: "wrong" };
      return { json: { score: good ? "1" : "0.2", passed: good, metadata } };
    });
    await suite.stack.resources.core.configMaps.create({ metadata: { name: "cases", namespace: ns }, data: { "cases.yaml": cases.map((c) => `- input: ${c.input}\n  expected: ${c.expected}`).join("\n") } });
    await ark().evaluations.create({
      metadata: { name: "baseline", namespace: ns },
      spec: { type: "baseline", config: { dataset: { configMapRef: { name: "cases" } }, target: { type: "model", name: "default" }, concurrency: 3 }, evaluator: { name: judge } } as never,
    });
    let maxRunning = 0;
    const evaluation = await evaluationOnce(ns, "baseline", (e) => {
      maxRunning = Math.max(maxRunning, e.status?.batchProgress?.running ?? 0);
      return e.status?.phase === "done" || e.status?.phase === "error";
    });
    expect(maxRunning).toBeLessThanOrEqual(3);
    expect(evaluation.status).toMatchObject({ phase: "done", passed: false, message: "Baseline evaluation completed: 9/10 cases passed", score: "0.920" });
    const table = evaluation.status?.dataset;
    expect(table).toMatchObject({ total: 10, passed: 9, passRate: "0.900", meanScore: "0.920" });
    expect(table?.cases).toHaveLength(10);
    expect(table?.cases[0]).toMatchObject({ name: "case-1", input: "question 0", expected: "answer 0", output: "answer 0", phase: "done", score: "1", passed: true, reasoning: "matches" });
    expect(table?.cases[9]).toMatchObject({ phase: "done", score: "0.2", passed: false, reasoning: "wrong" });
    const queries: Query[] = (await ark().queries.list(ns)).filter((q) => q.metadata.labels?.["parent-evaluation"] === "baseline");
    expect(queries).toHaveLength(10);
  });
});

describe.skipIf(!testPostgres())("evaluations across a controller restart", () => {
  let stack: ApiStack;
  let evaluator: TestEvaluator;
  beforeAll(async () => {
    stack = await startApiStack();
    evaluator = await startTestEvaluator();
  });
  afterAll(async () => {
    await evaluator?.server.close();
    await stack?.close();
  });

  it("a query evaluating when its controller stops is judged by the next one and recorded once", async () => {
    const bus = new MemoryQueryBus<QueryEvent>();
    const first = await startTestController(stack, bus);
    answerQueries(stack.mock, "an answer");
    evaluator.answer(() => ({ json: { score: "0.75", passed: true }, delayMs: 1500 }));
    const ns = await freshNamespace(stack);
    await createApiKeySecret(stack, ns, "key");
    await createMockModel(stack, ns, "default", { secret: "key" });
    await stack.resources.ark.evaluators.create({ metadata: { name: "judge", namespace: ns }, spec: { address: { value: evaluator.address } } });
    await stack.resources.ark.queries.create({ metadata: { name: "q", namespace: ns }, spec: { input: "hi", target: { type: "model", name: "default" }, evaluators: [{ name: "judge" }] } });
    await expect.poll(async () => (await stack.resources.ark.queries.get(ns, "q"))?.status?.phase, WITHIN_TEST_TIMEOUT).toBe("evaluating");
    await expect.poll(() => evaluator.posts().length, WITHIN_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    await first.stop();
    evaluator.answer(() => ({ json: { score: "0.75", passed: true } }));
    const second = await startTestController(stack, bus);
    try {
      const query = await finishedQuery(stack.resources.ark.queries, ns, "q");
      expect(query.status?.phase).toBe("done");
      expect(query.status?.evaluations).toEqual([{ evaluatorName: "judge", score: "0.75", passed: true }]);
      expect(query.status?.response?.content).toBe("an answer");
    } finally {
      await second.stop();
      await bus.close();
    }
  });
});
