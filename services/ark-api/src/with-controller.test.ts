import { start as startController, controllerConfig, type RunningController } from "@ark/ark-controller";
import { createArkClient } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { startMockModel, startRecordingServer, type MockModel } from "@ark/testing";
import { testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startTestStack, type TestStack } from "./test-support/harness.js";
import { readSse } from "./test-support/sse-client.js";

describe.skipIf(!testPostgres())("with a running controller", () => {
  let stack: TestStack;
  let mock: MockModel;
  let controller: RunningController;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startTestStack("ark-api-openai");
    mock = await startMockModel();
    controller = await startController(
      loadConfig(controllerConfig, {
        PORT: "0",
        LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn",
        LEADER_ELECTION: "false",
        QUERY_REFERENCE_WAIT: "500ms",
        WORKER_CONCURRENCY: "4",
      }),
      { bus: stack.bus as never, kubeConfig: stack.kubeConfig, providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } } },
    );
    await stack.call("POST", "/v1/namespaces/default/secrets", { name: "mock-key", string_data: { token: "sk-test" } });
    const model = await stack.call("POST", "/v1/namespaces/default/models", {
      name: "default",
      type: "openai",
      model: "mock-model",
      config: { openai: { baseUrl: mock.url, apiKey: { valueFrom: { secretKeyRef: { name: "mock-key", key: "token" } } } } },
    });
    expect(model.status, JSON.stringify(model.body)).toBe(200);
    expect((await stack.call("POST", "/v1/namespaces/default/agents", { name: "helper", prompt: "You help." })).status).toBe(200);
    client = new OpenAI({ baseURL: `${stack.api.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await mock?.close();
    await controller?.stop();
    await stack?.close();
  });
  beforeEach(() => mock.setDefault({ text: "It is sunny in Paris today.", usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } }));

  it("shows agents' and teams' readiness from the condition the controller writes (Available)", async () => {
    expect((await stack.call("POST", "/v1/namespaces/default/agents", { name: "orphan", prompt: "No model.", modelRef: { name: "missing" } })).status).toBe(200);
    expect((await stack.call("POST", "/v1/namespaces/default/teams", { name: "crew", members: [{ name: "helper", type: "agent" }], strategy: "sequential" })).status).toBe(200);
    const statusOf = async (kind: string, name: string) => {
      const items = (await stack.call("GET", `/v1/namespaces/default/${kind}`)).body.items as { name: string; status: string | null }[];
      return items.find((item) => item.name === name)?.status;
    };
    await expect.poll(() => statusOf("agents", "helper"), { timeout: 15_000 }).toBe("ready");
    await expect.poll(() => statusOf("agents", "orphan"), { timeout: 15_000 }).toBe("not ready");
    await expect.poll(() => statusOf("teams", "crew"), { timeout: 15_000 }).toBe("ready");
  });

  it("creates an Evaluator and an Evaluation, then shows the result, the list and the evaluation's events", async () => {
    const judge = await startRecordingServer((request, res) => {
      if (request.method === "GET") return void res.writeHead(request.url === "/health" ? 200 : 404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ score: "0.8", passed: true, metadata: { reasoning: "fine" } }));
    });
    try {
      const evaluator = await stack.call("POST", "/v1/namespaces/default/evaluators", { name: "judge", spec: { address: { value: `${judge.url}/evaluate` } } });
      expect(evaluator.status, JSON.stringify(evaluator.body)).toBe(200);
      const created = await stack.call("POST", "/v1/namespaces/default/evaluations", {
        name: "check",
        spec: { type: "direct", evaluator: { name: "judge" }, config: { input: "2+2?", output: "4" } },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const phase = async () => ((await stack.call("GET", "/v1/namespaces/default/evaluations/check")).body as { status?: { phase?: string } }).status?.phase;
      await expect.poll(phase, { timeout: 15_000 }).toBe("done");
      const detail = (await stack.call("GET", "/v1/namespaces/default/evaluations/check")).body as { status: Record<string, unknown> };
      expect(detail.status).toMatchObject({ score: "0.8", passed: true, metadata: { reasoning: "fine" } });
      const list = (await stack.call("GET", "/v1/namespaces/default/evaluations")).body as { items: { name: string }[] };
      expect(list.items.map((item) => item.name)).toContain("check");
      const events = async () => ((await stack.call("GET", "/v1/namespaces/default/events?kind=Evaluation&name=check")).body as { items: { reason: string }[] }).items.map((e) => e.reason);
      await expect.poll(events, { timeout: 15_000 }).toContain("EvaluationCompleted");
    } finally {
      await judge.close();
    }
  });

  it("answers a non-streamed completion from an agent", async () => {
    const completion = await client.chat.completions.create({
      model: "agent/helper",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Paris?" },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("agent/helper");
    expect(completion.choices[0]?.message.content).toBe("It is sunny in Paris today.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    // The conversation reaches the agent as messages (a type: messages query), after the agent's own prompt.
    const sent = mock.requests.filter((r) => r.path.endsWith("/chat/completions")).at(-1)?.body as { messages: unknown[] };
    expect(sent.messages).toEqual([
      { role: "system", content: "You help." },
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
    ]);
  });

  it("creates a messages query with a conversationId and shows upstream's response fields", async () => {
    const input = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: "Weather?" },
    ];
    const created = await stack.call("POST", "/v1/namespaces/default/queries?wait=60s", {
      name: "conversation",
      type: "messages",
      input,
      conversationId: "conv-api-1",
      target: { type: "agent", name: "helper" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ type: "messages", input, conversationId: "conv-api-1" });
    expect(created.body.status.response).toMatchObject({ content: "It is sunny in Paris today.", phase: "done" });
    expect(JSON.parse(created.body.status.response.raw)).toMatchObject([{ role: "assistant", content: "It is sunny in Paris today." }]);
    // A list shows the turn's text; the details keep the messages.
    const listed = (await stack.call("GET", "/v1/namespaces/default/queries")).body.items as { name: string; input: unknown }[];
    expect(listed.find((q) => q.name === "conversation")?.input).toBe("Weather?");
    const refused = await stack.call("POST", "/v1/namespaces/default/queries", { name: "bad-conversation", type: "messages", input: [{ role: "bot", content: "x" }], target: { type: "agent", name: "helper" } });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("spec.input[0].role");
  });

  it("streams the provider's content chunks as they come, then [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: "agent/helper",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let finishReason: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.join("")).toBe("It is sunny in Paris today.");
    expect(pieces.length).toBeGreaterThan(1);
    expect(finishReason).toBe("stop");
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it("answers POST /queries?wait= with the finished query", async () => {
    const created = await stack.call("POST", "/v1/namespaces/default/queries?wait=60s", { name: "waited", input: "Weather?", target: { type: "agent", name: "helper" } });
    expect(created.status).toBe(200);
    expect(created.body.status).toMatchObject({ phase: "done", response: { content: "It is sunny in Paris today." } });
  });

  it("answers every one of 200 concurrent POST /queries?wait= with its finished query", async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => stack.call("POST", "/v1/namespaces/default/queries?wait=60s", { name: `burst-${i}`, input: "Weather?", target: { type: "agent", name: "helper" } })),
    );
    expect(answers.map((a) => `${a.status} ${(a.body.status as { phase?: string } | undefined)?.phase}`)).toEqual(Array.from({ length: 200 }, () => "200 done"));
  });

  it("lists agents, teams, models and tools as models", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["agent/helper", "model/default"]));
    expect(await client.models.retrieve("agent/helper")).toMatchObject({ id: "agent/helper", object: "model", owned_by: "ark" });
    expect(await client.models.retrieve("team/none").catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("returns OpenAI errors the client raises", async () => {
    const badPrefix = await client.chat.completions.create({ model: "gpt-4", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(badPrefix).toBeInstanceOf(OpenAI.BadRequestError);
    expect((badPrefix as InstanceType<typeof OpenAI.APIError>).type).toBe("invalid_request_error");
    expect((badPrefix as InstanceType<typeof OpenAI.APIError>).message).toContain("agent/<name>");

    const noMessages = await client.chat.completions.create({ model: "agent/helper", messages: [] }).catch((e: unknown) => e);
    expect(noMessages).toBeInstanceOf(OpenAI.BadRequestError);

    const missing = await client.chat.completions.create({ model: "agent/missing", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.APIError>).code).toBe("model_not_found");

    const elsewhere = await client.chat.completions.create({ model: "agent/helper", messages: [{ role: "user", content: "x" }] }, { headers: { "x-ark-namespace": "nowhere" } }).catch((e: unknown) => e);
    expect(elsewhere).toBeInstanceOf(OpenAI.NotFoundError);

    mock.setDefault({ error: { status: 400, message: "model exploded" } });
    const failed = client.chat.completions.create({ model: "agent/helper", messages: [{ role: "user", content: "x" }], stream: true });
    const streamError = await (async () => {
      for await (const _ of await failed) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(streamError).toBeInstanceOf(OpenAI.APIError);
  });
  it("streams a real run with a tool call over SSE, in order, to a live and a late client", async () => {
    mock.setDefault((request) => {
      if (request.lastUserText === "Hello") return "Hello!";
      if (request.messages.some((m) => m.role === "tool")) return "Done after the tool.";
      return { toolCalls: [{ name: "noop", arguments: {} }] };
    });
    await stack.call("POST", "/v1/namespaces/default/agents", { name: "tooler", prompt: "Use tools.", tools: [{ type: "built-in", name: "noop" }] });
    const created = await stack.call("POST", "/v1/namespaces/default/queries", { name: "with-tool", input: "Go", target: { type: "agent", name: "tooler" } });
    expect(created.status).toBe(200);
    const url = `${stack.api.url}/v1/namespaces/default/queries/with-tool/events`;

    const live = await readSse(url);
    const types = live.messages.map((m) => m.event);
    expect(types[0]).toBe("query.started");
    expect(types.at(-1)).toBe("query.completed");
    const started = types.indexOf("tool.call.started");
    expect(started).toBeGreaterThan(0);
    expect(types.indexOf("tool.call.completed")).toBeGreaterThan(started);
    expect(JSON.parse(live.messages.at(-1)!.data).responses[0].content).toBe("Done after the tool.");

    const late = await readSse(url);
    expect(late.messages).toEqual(live.messages);
    const resumed = await readSse(url, { headers: { "last-event-id": live.messages[started]!.id! } });
    expect(resumed.messages).toEqual(live.messages.slice(started + 1));
    // The terminal event is published when the run ends; the final status is written just after it.
    await expect.poll(async () => (await stack.call("GET", "/v1/namespaces/default/queries/with-tool")).body.status.phase, WITHIN_TEST_TIMEOUT).toBe("done");
  });
  it("cancels the query when an OpenAI client goes away before the answer", async () => {
    mock.setDefault((request) => (request.lastUserText === "Hello" ? "Hello!" : { hang: true }));
    const ark = createArkClient(stack.kubeConfig);
    const before = new Set((await ark.queries.list("default")).map((q) => q.metadata.name));
    const aborted = new AbortController();
    const pending = client.chat.completions.create({ model: "agent/helper", messages: [{ role: "user", content: "slow" }] }, { signal: aborted.signal }).catch((e: unknown) => e);
    const query = await vi.waitFor(async () => {
      const created = (await ark.queries.list("default")).find((q) => !before.has(q.metadata.name));
      expect(created, "the query the completion created").toBeDefined();
      return created!;
    }, WITHIN_TEST_TIMEOUT);
    aborted.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    const canceled = await vi.waitFor(async () => {
      const current = await ark.queries.get("default", query.metadata.name!);
      expect(current?.spec.cancel, "spec.cancel").toBe(true);
      return current!;
    }, WITHIN_TEST_TIMEOUT);
    expect(canceled.spec.cancel).toBe(true);
  });
});
