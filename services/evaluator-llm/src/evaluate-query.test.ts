import type { Query } from "@ark/kube";
import type { MockChatRequest } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMockModel, freshNamespace, startEvaluatorStack, type EvaluatorStack } from "./test-support/stack.js";

let stack: EvaluatorStack;

// No controller here: the Queries' statuses are written by the test as the controller would.
beforeAll(async () => {
  stack = await startEvaluatorStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.mock.reset());

/** A query with status written as the controller would (done, two responses). */
async function doneQuery(namespace: string, name: string, phase = "done"): Promise<void> {
  await stack.ark.queries.create({
    metadata: { name, namespace },
    spec: {
      input: "Weather in Chicago?",
      targets: [
        { type: "agent", name: "a" },
        { type: "agent", name: "b" },
      ],
    } as Query["spec"],
  });
  await stack.ark.queries.patchStatus(namespace, name, {
    phase,
    responses: [
      { target: { type: "agent", name: "a" }, content: "Sunny, 25C in Chicago." },
      { target: { type: "agent", name: "b" }, content: "I do not know." },
    ],
  } as NonNullable<Query["status"]>);
}

const judgePrompts = () => stack.mock.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => (r.body as { messages: { content: string }[] }).messages[0]!.content);

describe("query evaluation", () => {
  it("reads the Query through the API and judges the response of config.queryRef.responseTarget", async () => {
    const ns = await freshNamespace(stack);
    await createMockModel(stack, ns);
    await doneQuery(ns, "weather");
    stack.mock.script({ json: { score: 90, passed: true, reasoning: "accurate", criteria_scores: {} } });
    const { body } = await stack.post({ type: "query", config: { queryRef: { name: "weather", responseTarget: "agent:a" } }, parameters: { "model.namespace": ns } }, ns);
    expect(body).toMatchObject({ score: "0.9", passed: true, metadata: { query: `${ns}/weather`, reasoning: "accurate" } });
    const [prompt] = judgePrompts();
    expect(prompt).toContain("Weather in Chicago?");
    expect(prompt).toContain("Response from agent 'a':\nSunny, 25C in Chicago.");
    expect(prompt).not.toContain("I do not know.");
  });

  it("judges every response without responseTarget; names what is missing otherwise", async () => {
    const ns = await freshNamespace(stack);
    await createMockModel(stack, ns);
    await doneQuery(ns, "both");
    stack.mock.script({ json: { score: 50, passed: false, reasoning: "one is wrong", criteria_scores: {} } });
    expect((await stack.post({ type: "query", config: { queryRef: { name: "both" } }, parameters: {} }, ns)).body).toMatchObject({ score: "0.5", passed: false });
    expect(judgePrompts()[0]).toContain("Response from agent 'b':\nI do not know.");
    expect((await stack.post({ type: "query", config: { queryRef: { name: "both", responseTarget: "team:c" } } }, ns)).body.error).toBe(
      `query ${ns}/both has no response from team:c (config.queryRef.responseTarget); it has agent:a, agent:b`,
    );
    expect((await stack.post({ type: "query", config: { queryRef: { name: "absent" } } }, ns)).body.error).toBe(`query ${ns}/absent not found`);
  });

  it("a query that is not done cannot be judged yet", async () => {
    const ns = await freshNamespace(stack);
    await createMockModel(stack, ns);
    await doneQuery(ns, "busy", "running");
    expect((await stack.post({ type: "query", config: { queryRef: { name: "busy" } } }, ns)).body.error).toBe(`query ${ns}/busy is not complete (phase: running)`);
  });

  it("answers the query-evaluator request of a Query's spec.evaluators from the responses it carries", async () => {
    const ns = await freshNamespace(stack);
    await createMockModel(stack, ns);
    stack.mock.script("SCORE: 75\nPASSED: true\nREASONING: good enough");
    const { body } = await stack.post(
      {
        queryId: "uid-1",
        input: "Weather in Chicago?",
        responses: [{ target: { type: "agent", name: "a" }, content: "Sunny." }],
        query: { metadata: { name: "q", namespace: ns } },
      },
      ns,
    );
    expect(body).toMatchObject({ score: "0.75", passed: true, metadata: { reasoning: "good enough" } });
    expect(judgePrompts()[0]).toContain("Response from agent 'a':\nSunny.");
  });
});

describe("baseline evaluation", () => {
  it("judges each case against its expected answer and aggregates: mean score, pass rate, per-case results", async () => {
    const ns = await freshNamespace(stack);
    await createMockModel(stack, ns);
    stack.mock.setDefault((request: MockChatRequest) => {
      const good = request.lastUserText.includes("Answer: 4");
      return { json: { score: good ? 100 : 20, passed: good, reasoning: good ? "matches" : "wrong", criteria_scores: {} } };
    });
    const cases = [
      { name: "add", input: "2+2?", expected: "4", output: "Answer: 4" },
      { name: "mul", input: "3*3?", expected: "9", output: "Answer: 6" },
    ];
    const { body } = await stack.post({ type: "baseline", config: { cases }, parameters: {} }, ns);
    expect(body).toMatchObject({ score: "0.6", passed: false, metadata: { cases_total: "2", cases_passed: "1", pass_rate: "0.5", mean_score: "0.6" } });
    expect(JSON.parse(body.metadata!["results"]!)).toEqual([
      { name: "add", input: "2+2?", expected: "4", output: "Answer: 4", score: "1", passed: true, reasoning: "matches" },
      { name: "mul", input: "3*3?", expected: "9", output: "Answer: 6", score: "0.2", passed: false, reasoning: "wrong" },
    ]);
    expect(judgePrompts().every((p) => p.includes("Expected answer"))).toBe(true);
    expect((await stack.post({ type: "baseline", config: { cases: [{ input: "x" }] } }, ns)).body.error).toMatch(/baseline case 0: no output/);
  });
});
