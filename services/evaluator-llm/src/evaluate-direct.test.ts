import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMockModel, freshNamespace, startEvaluatorStack, type EvaluatorStack } from "./test-support/stack.js";

let stack: EvaluatorStack;
let ns: string;

beforeAll(async () => {
  stack = await startEvaluatorStack();
  ns = await freshNamespace(stack);
  await createMockModel(stack, ns);
  await createMockModel(stack, ns, "strict-judge", "judge-gpt");
});
afterAll(() => stack?.close());
beforeEach(() => stack.mock.reset());

const direct = (parameters: Record<string, string> = {}) => ({
  type: "direct",
  config: { input: "What is the capital of France?", output: "Paris is the capital of France." },
  parameters: { "model.namespace": ns, ...parameters },
  evaluatorName: "evaluator-llm",
});

const lastPrompt = () => {
  const request = stack.mock.requests.at(-1)!;
  return request.body as { model: string; messages: { content: string }[]; response_format?: { type: string }; temperature?: number };
};

describe("direct evaluation", () => {
  it("passes a good answer: structured output (json_schema), score normalised from 0-100 to 0..1, reasoning and criteria in metadata", async () => {
    stack.mock.script({
      json: { score: 92, passed: true, reasoning: "Correct and concise.", criteria_scores: { relevance: 100, accuracy: 95, completeness: 80, clarity: 90, usefulness: 85 } },
      usage: { prompt_tokens: 120, completion_tokens: 30 },
    });
    const { status, body } = await stack.post(direct(), ns);
    expect(status).toBe(200);
    expect(body).toMatchObject({ score: "0.92", passed: true, tokenUsage: { promptTokens: 120, completionTokens: 30, totalTokens: 150 } });
    expect(body.metadata).toMatchObject({
      reasoning: "Correct and concise.",
      criteria_scores: "relevance=1, accuracy=0.95, completeness=0.8, clarity=0.9, usefulness=0.85",
      "criteria.accuracy": "0.95",
      threshold: "0.7",
      judge_model: `${ns}/default`,
    });
    const sent = lastPrompt();
    expect(sent.response_format?.type).toBe("json_schema");
    expect(sent.temperature).toBe(0.1);
    expect(sent.messages[0]!.content).toContain("What is the capital of France?");
    expect(sent.messages[0]!.content).toContain("Paris is the capital of France.");
  });

  it("fails a poor answer, upstream's line format when structured output is off", async () => {
    stack.mock.script("SCORE: 35\nPASSED: false\nREASONING: The answer names the wrong city.\nIt also ignores the question.\nCRITERIA_SCORES: relevance=60, accuracy=10");
    const { body } = await stack.post(direct({ structuredOutput: "false" }), ns);
    expect(body).toMatchObject({ score: "0.35", passed: false });
    expect(body.metadata?.["reasoning"]).toBe("The answer names the wrong city.\nIt also ignores the question.");
    expect(body.metadata?.["criteria_scores"]).toBe("relevance=0.6, accuracy=0.1");
    const sent = lastPrompt();
    expect(sent.response_format).toBeUndefined();
    expect(sent.messages[0]!.content).toContain("SCORE: [0-100]");
  });

  it("falls back to the line format when the endpoint refuses response_format (400)", async () => {
    stack.mock.script({ error: { status: 400, message: "response_format is not supported" } }, "**SCORE:** 80\n**PASSED:** true\n**REASONING:** fine");
    const { body } = await stack.post(direct(), ns);
    expect(body).toMatchObject({ score: "0.8", passed: true, metadata: { reasoning: "fine" } });
    expect(stack.mock.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => (r.body as { response_format?: unknown }).response_format !== undefined)).toEqual([true, false]);
  });

  it("the threshold parameter decides passed (0..1, or upstream's percentage)", async () => {
    const judged = { json: { score: 60, passed: false, reasoning: "partly right", criteria_scores: {} } };
    stack.mock.script(judged, judged, judged);
    expect((await stack.post(direct(), ns)).body).toMatchObject({ score: "0.6", passed: false });
    expect((await stack.post(direct({ threshold: "0.5" }), ns)).body).toMatchObject({ score: "0.6", passed: true, metadata: { threshold: "0.5" } });
    expect((await stack.post(direct({ threshold: "55" }), ns)).body).toMatchObject({ score: "0.6", passed: true, metadata: { threshold: "0.55" } });
    expect((await stack.post(direct({ threshold: "high" }), ns)).body).toMatchObject({ passed: false, error: expect.stringMatching(/parameter threshold: "high"/) });
  });

  it("criteria, scale and the judge model come from parameters", async () => {
    stack.mock.script({ model: "judge-gpt" }, "SCORE: 8\nREASONING: ok\nCRITERIA_SCORES: tone=9, brevity=7");
    const { body } = await stack.post(direct({ "model.name": "strict-judge", criteria: "tone,brevity", scale: "0-10", structuredOutput: "false" }), ns);
    expect(body).toMatchObject({ score: "0.8", passed: true, metadata: { criteria_scores: "tone=0.9, brevity=0.7", judge_model: `${ns}/strict-judge` } });
    const sent = lastPrompt();
    expect(sent.model).toBe("judge-gpt");
    expect(sent.messages[0]!.content).toContain("Evaluate the response on: tone, brevity");
    expect(sent.messages[0]!.content).toContain("CRITERIA_SCORES: tone=[0-10], brevity=[0-10]");
  });

  it("a custom judge prompt (Go template) replaces the instructions; the answer format is kept", async () => {
    stack.mock.script({ json: { score: 100, passed: true, reasoning: "yes", criteria_scores: {} } });
    await stack.post(direct({ prompt: "Is {{.output}} a right answer to {{.input}}? Criteria: {{.criteria}}." }), ns);
    const prompt = lastPrompt().messages[0]!.content;
    expect(prompt).toMatch(/^Is Paris is the capital of France\. a right answer to What is the capital of France\?/);
    expect(prompt).toContain("Answer with a JSON object only");
  });

  it("an unparseable judge answer is an error quoting what came back, never a silent 0", async () => {
    stack.mock.script("I think the answer is quite good overall, well done!");
    const { status, body } = await stack.post(direct(), ns);
    expect(status).toBe(200);
    expect(body.score).toBeUndefined();
    expect(body.passed).toBe(false);
    expect(body.error).toMatch(/judge model .*default.* answered without a score .*"I think the answer is quite good overall, well done!"/);
  });

  it("a score outside the scale is an error naming it", async () => {
    stack.mock.script("SCORE: 250\nPASSED: true");
    expect((await stack.post(direct({ structuredOutput: "false" }), ns)).body.error).toMatch(/score 250 is outside 0\.\.100/);
  });

  it("a missing judge model, or an empty input, fails saying which", async () => {
    expect((await stack.post(direct({ "model.name": "nope" }), ns)).body.error).toBe(`judge model: Model "nope" not found in namespace ${ns} (parameter model.name)`);
    const other = await freshNamespace(stack);
    expect((await stack.post({ ...direct(), parameters: {} }, other)).body.error).toBe(`judge model: no model.name parameter and no Model "default" in namespace ${other}`);
    expect((await stack.post({ ...direct(), config: { input: "", output: "x" } }, ns)).body.error).toBe("direct evaluation requires non-empty config.input");
    expect(stack.mock.requests).toHaveLength(0);
  });

  it("a body of neither shape is a 400 naming the field", async () => {
    const { status, body } = await stack.post({ type: "nonsense", config: {} }, ns);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toMatch(/type/);
  });
});

describe("callers", () => {
  it("refuses a request without a token (401), and a token for another namespace (403)", async () => {
    const anonymous = await stack.post(direct());
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${stack.evaluator.url}/evaluate`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ns}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` },
      body: JSON.stringify(direct()),
    });
    expect(forged.status).toBe(401);
    const other = await stack.post(direct(), "someone-else");
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body)).toContain(`namespace ${ns} is not the caller's`);
    expect(stack.mock.requests).toHaveLength(0);
  });

  it("serves /health and /ready without a token", async () => {
    expect((await fetch(`${stack.evaluator.url}/health`)).status).toBe(200);
    expect((await fetch(`${stack.evaluator.url}/ready`)).status).toBe(200);
  });
});
