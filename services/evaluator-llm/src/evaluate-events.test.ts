import { controllerConfig, start as startController, type RunningController } from "@ark/ark-controller";
import type { Query } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import type { MockChatRequest } from "@ark/testing";
import { finishedQuery } from "@ark/testing/vitest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMockModel, freshNamespace, startEvaluatorStack, type EvaluatorStack } from "./test-support/stack.js";

let stack: EvaluatorStack;
let controller: RunningController;

beforeAll(async () => {
  stack = await startEvaluatorStack();
  // The real controller on the same bus: queries run, their events are recorded where evaluator-llm reads them.
  controller = await startController(
    loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn", KUBECONFIG: stack.api.kubeconfigPath, LEADER_ELECTION: "false", ARK_HOME: stack.arkHome }),
    { kubeConfig: stack.kc, bus: stack.bus, providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } } },
  );
});
afterAll(async () => {
  await controller?.stop();
  await stack?.close();
});
beforeEach(() => stack.mock.reset());

/** What the controller's model probe sends; answered apart so it never takes a judge's reply. */
const PROBE_TEXT = "Hello";

describe("event evaluation", () => {
  it("scores CEL rules over the recorded events of a tool-using query, with per-rule results and weights", async () => {
    const ns = await freshNamespace(stack);
    await createMockModel(stack, ns);
    // The agent calls the noop tool once, then answers; the model probe gets a plain answer.
    stack.mock.setDefault((request: MockChatRequest) => {
      if (request.lastUserText === PROBE_TEXT) return "Hello!";
      if (request.messages.some((m) => m.role === "tool")) return "It is sunny in Chicago.";
      return { toolCalls: [{ name: "noop", arguments: { message: "Chicago" } }] };
    });
    await stack.ark.agents.create({ metadata: { name: "weather", namespace: ns }, spec: { prompt: "You answer weather questions.", tools: [{ type: "built-in", name: "noop" }] } });
    await stack.ark.queries.create({ metadata: { name: "q1", namespace: ns }, spec: { input: "Weather in Chicago?", targets: [{ type: "agent", name: "weather" }] } as Query["spec"] });
    const query = await finishedQuery(stack.ark.queries, ns, "q1");
    expect(query.status?.phase, query.status?.message).toBe("done");

    const rules = [
      { name: "used-noop", expression: 'events.exists(e, e.type == "tool.call.started" && e.tool == "noop" && e.arguments.message == "Chicago")', weight: 2 },
      { name: "no-tool-errors", expression: 'events.all(e, e.type != "tool.call.completed" || !has(e.error))' },
      { name: "mentions-city", expression: 'response.content.contains("Chicago") && query.metadata.name == "q1"' },
      { name: "two-tool-calls", expression: 'events.filter(e, e.type == "tool.call.started").size() == 2' },
      { name: "not-bool", expression: "events.size()" },
    ];
    const { body } = await stack.post({ type: "event", config: { queryRef: { name: "q1" }, rules }, parameters: {} }, ns);
    // 2 + 1 + 1 of 6 weights.
    expect(body).toMatchObject({ score: "0.667", passed: false });
    expect(body.metadata).toMatchObject({
      "rule.used-noop": "passed",
      "rule.no-tool-errors": "passed",
      "rule.mentions-city": "passed",
      "rule.two-tool-calls": "failed",
      "rule.not-bool": expect.stringMatching(/^error: returned \d+, not a bool$/),
      rules_passed: "3/5",
    });
    const lenient = await stack.post({ type: "event", config: { queryRef: { name: "q1" }, rules }, parameters: { threshold: "0.6" } }, ns);
    expect(lenient.body).toMatchObject({ score: "0.667", passed: true });
  });

  it("an Evaluation whose rule does not compile is refused at admission (422 naming the rule and the CEL error)", async () => {
    const ns = await freshNamespace(stack);
    const error = await stack.ark.evaluations
      .create({
        metadata: { name: "bad-rules", namespace: ns },
        spec: {
          type: "event",
          evaluator: { name: "evaluator-llm" },
          config: {
            queryRef: { name: "q1" },
            rules: [
              { name: "ok", expression: "true" },
              { name: "typo", expression: "events.exists(e, e.type = 1)" },
            ],
          },
        },
      } as never)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect((error as { code?: number }).code).toBe(422);
    const status = JSON.parse(String((error as { body?: unknown }).body)) as { details: { causes: { field: string; message: string }[] } };
    expect(status.details.causes).toEqual([{ reason: "FieldValueInvalid", field: "spec.config.rules[1].expression", message: expect.stringMatching(/rule "typo": CEL does not compile: Unexpected character: =/) }]);
  });
});
