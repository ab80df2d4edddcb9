import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { executorConfig, start as startExecutor, type RunningExecutor } from "@ark/executor-langchain";
import { apiErrorMessage, type ExecutionEngine } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { isFinishedQueryPhase, STREAMING_ANNOTATION, type ExecutionEngineRequest, type QueryEvent } from "@ark/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eventsUntilTerminal } from "./test-support/bus-events.js";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, freshNamespace, queryRequests, uniqueName } from "./test-support/manifests.js";

/** Shared by the worker (ENGINE_TOKEN) and executor-langchain. */
const ENGINE_TOKEN = "engine-token-for-controller-tests";

/** A scripted engine: records what it is sent and answers as the test says (or never). */
interface FakeEngine {
  url: string;
  executes: { body: ExecutionEngineRequest; headers: IncomingMessage["headers"]; abortedAt?: number }[];
  cancels: { runId: string; at: number }[];
  answer: (body: ExecutionEngineRequest, res: ServerResponse) => void | Promise<void>;
  close(): Promise<void>;
}

async function startFakeEngine(): Promise<FakeEngine> {
  const engine: Omit<FakeEngine, "url" | "close"> = { executes: [], cancels: [], answer: (_b, res) => void res.end() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      if (req.url === "/health") return void res.end("{}");
      if (req.url === "/cancel") {
        engine.cancels.push({ runId: (JSON.parse(text) as { runId: string }).runId, at: Date.now() });
        return void res.end("{}");
      }
      const record: FakeEngine["executes"][number] = { body: JSON.parse(text) as ExecutionEngineRequest, headers: req.headers };
      engine.executes.push(record);
      res.on("close", () => {
        if (!res.writableEnded) record.abortedAt = Date.now();
      });
      void engine.answer(record.body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(engine, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

describe.skipIf(!testPostgres())("agents run by an ExecutionEngine (docs/architecture.md §8)", () => {
  const suite = useControllerSuite({ ENGINE_TOKEN, ARK_EGRESS_ALLOW: "127.0.0.1", QUERY_REFERENCE_WAIT: "2s" });
  let executor: RunningExecutor;
  let weather: RecordingServer;
  let fake: FakeEngine;

  beforeAll(async () => {
    executor = await startExecutor(loadConfig(executorConfig, { PORT: "0", LOG_LEVEL: "silent", ENGINE_TOKEN }));
    weather = await startRecordingServer((request, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ city: new URL(request.url, "http://x").searchParams.get("city"), forecast: "sunny, 21 degrees" }));
    });
    fake = await startFakeEngine();
  });
  afterAll(async () => {
    await executor?.stop();
    await weather?.close();
    await fake?.close();
  });

  /** A namespace with the default Model, an ExecutionEngine `engine` at `address`, the weather Tool, and an agent `helper` run by the engine. */
  async function setup(address: string, agent: Record<string, unknown> = {}) {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key", properties: { temperature: "0.3" }, headers: { "X-Tenant": "team-a" } });
    await suite.stack.resources.ark.executionEngines.create({ metadata: { name: "engine", namespace: ns }, spec: { type: "langchain", address: { value: address } } });
    await suite.stack.resources.ark.tools.create({
      metadata: { name: "weather", namespace: ns },
      spec: { type: "http", description: "Weather of a city", http: { url: `${weather.url}/weather?city={city}` }, inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
    });
    await createAgent(suite.stack, ns, "helper", { prompt: "You are the weather agent.", executionEngine: { name: "engine" }, tools: [{ type: "custom", name: "weather" }], ...agent });
    return ns;
  }

  async function runQuery(ns: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>) {
    const name = uniqueName("q");
    const created = await suite.stack.resources.ark.queries.create({
      metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) },
      spec: { input: "Weather in Oslo?", target: { type: "agent", name: "helper" }, ...spec } as never,
    });
    const events = eventsUntilTerminal(suite.bus, { namespace: ns, name, queryUid: created.metadata.uid! });
    return { name, events };
  }

  it("executor-langchain answers a query with one tool call; the tool runs in ARK (its events, the HTTP fixture's request)", async () => {
    weather.reset();
    answerQueries(suite.stack.mock, (request) => {
      const tool = request.messages.find((m) => m.role === "tool");
      if (!tool) return { toolCalls: [{ name: "weather", arguments: { city: "Oslo" } }] };
      return { text: `Oslo: ${JSON.parse(String(tool.content)).forecast}`, usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 } };
    });
    const ns = await setup(executor.url);
    const { name, events } = await runQuery(ns);
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, name);
    expect(query.status).toMatchObject({ phase: "done", response: { content: "Oslo: sunny, 21 degrees" } });
    expect(weather.requests.map((r) => r.url)).toEqual(["/weather?city=Oslo"]);
    const seen = await events;
    const started = seen.find((e): e is Extract<QueryEvent, { type: "tool.call.started" }> => e.type === "tool.call.started");
    const completed = seen.find((e): e is Extract<QueryEvent, { type: "tool.call.completed" }> => e.type === "tool.call.completed");
    expect(started).toMatchObject({ toolName: "weather", agent: `${ns}/helper` });
    expect(JSON.parse(started!.arguments)).toEqual({ city: "Oslo" });
    expect(completed).toMatchObject({ toolName: "weather", isError: false });
    expect(completed!.result).toContain("sunny, 21 degrees");
    expect(seen.filter((e) => e.type === "tool.call.started")).toHaveLength(1);
    // The model saw the agent's prompt first and the Model's properties; the engine's token usage reached the query.
    const first = queryRequests(suite.stack.mock)[0]!.body as { messages: { role: string; content: string }[]; temperature?: number };
    expect(first.messages[0]).toEqual({ role: "system", content: "You are the weather agent." });
    expect(first.temperature).toBe(0.3);
    expect(query.status?.tokenUsage?.totalTokens).toBeGreaterThan(0);
  });

  it("streams: content reaches the query's events while the query is still running", async () => {
    answerQueries(suite.stack.mock, { text: "A long and streamed answer about the weather.", chunkDelayMs: 100 });
    const ns = await setup(executor.url, { tools: [] });
    const name = uniqueName("q");
    const created = await suite.stack.resources.ark.queries.create({
      metadata: { name, namespace: ns, annotations: { [STREAMING_ANNOTATION]: "true" } },
      spec: { input: "Weather?", target: { type: "agent", name: "helper" } } as never,
    });
    let phaseAtFirstDelta: string | undefined;
    const deltas: string[] = [];
    for await (const envelope of suite.bus.readEvents({ namespace: ns, name, queryUid: created.metadata.uid! }, { follow: true })) {
      const event = envelope.event;
      if (event.type === "content.delta") {
        if (deltas.length === 0) phaseAtFirstDelta = (await suite.stack.resources.ark.queries.get(ns, name))?.status?.phase;
        deltas.push(event.chunk);
      }
      if (event.type === "query.completed" || event.type === "query.failed") break;
    }
    // Not finished yet: running, or not yet written as such (its running write waits briefly, docs/architecture.md §3).
    expect(isFinishedQueryPhase(phaseAtFirstDelta)).toBe(false);
    expect(deltas.join("")).toBe("A long and streamed answer about the weather.");
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, name)).status?.phase).toBe("done");
  });

  it("cancel reaches the engine: its request is aborted within seconds and it is told the run id", async () => {
    fake.answer = () => undefined; // never answers
    const ns = await setup(fake.url);
    const before = fake.executes.length;
    const { name, events } = await runQuery(ns);
    await expect.poll(() => fake.executes.length, WITHIN_TEST_TIMEOUT).toBeGreaterThan(before);
    const execution = fake.executes.at(-1)!;
    expect(execution.headers.authorization).toBe(`Bearer ${ENGINE_TOKEN}`);
    expect(execution.body).toMatchObject({ contractVersion: "1", agent: { name: "helper", namespace: ns, prompt: "You are the weather agent." }, run: { query: { name, namespace: ns } } });
    expect(execution.body.agent.model).toMatchObject({ name: "mock-model", type: "openai", config: { openai: { apiKey: "sk-test", properties: { temperature: "0.3" }, headers: { "X-Tenant": "team-a" } } } });
    expect(execution.body.tools?.map((t) => t.name)).toEqual(["weather"]);
    const canceledAt = Date.now();
    await suite.stack.resources.ark.queries.patch(ns, name, { spec: { cancel: true } });
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, name)).status?.phase).toBe("canceled");
    expect((await events).at(-1)?.type).toBe("query.canceled");
    await vi.waitFor(() => {
      expect(execution.abortedAt, "when the engine's request was aborted").toBeDefined();
      expect(
        fake.cancels.map((c) => c.runId),
        "the runs the engine was told to cancel",
      ).toContain(execution.body.run!.id);
    }, WITHIN_TEST_TIMEOUT);
    expect(execution.abortedAt! - canceledAt).toBeLessThan(5_000);

    // The run is over: its tool-callback token opens nothing, and nothing runs.
    weather.reset();
    const late = await fetch(execution.body.toolCallback!.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${execution.body.toolCallback!.token}` },
      body: JSON.stringify({ name: "weather", arguments: { city: "Oslo" } }),
    });
    expect(late.status).toBe(401);
    expect(weather.requests).toHaveLength(0);
  });

  it("the query's timeout reaches the engine: the request is aborted, the engine told, the query fails as timed out", async () => {
    fake.answer = () => undefined; // never answers
    const ns = await setup(fake.url);
    const before = fake.executes.length;
    const { name } = await runQuery(ns, { timeout: "2s" });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, name);
    expect(query.status?.phase).toBe("error");
    expect(query.status?.message).toContain("timed out after 2s");
    const execution = fake.executes[before]!;
    expect(execution.body.run?.timeoutSeconds).toBeLessThanOrEqual(2);
    await vi.waitFor(() => {
      expect(execution.abortedAt, "when the engine's request was aborted").toBeDefined();
      expect(
        fake.cancels.map((c) => c.runId),
        "the runs the engine was told to cancel",
      ).toContain(execution.body.run!.id);
    }, WITHIN_TEST_TIMEOUT);
  });

  it("the tool callback runs the run's tools for its token only: a wrong token gets 401 and nothing runs", async () => {
    weather.reset();
    let wrong: number | undefined;
    let other: { status: number; body: unknown } | undefined;
    let right: unknown;
    fake.answer = async (body, res) => {
      const call = (token: string, tool: string) =>
        fetch(body.toolCallback!.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ name: tool, arguments: '{"city":"Bergen"}', toolCallId: "call-1" }),
        });
      wrong = (await call("not-the-token", "weather")).status;
      const otherTool = await call(body.toolCallback!.token, "not-my-tool");
      other = { status: otherTool.status, body: await otherTool.json() };
      right = await (await call(body.toolCallback!.token, "weather")).json();
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ messages: [{ role: "assistant", content: "Bergen is fine." }], error: "", token_usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }));
    };
    const ns = await setup(fake.url);
    const { name, events } = await runQuery(ns);
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, name);
    expect(query.status).toMatchObject({ phase: "done", response: { content: "Bergen is fine." }, tokenUsage: { promptTokens: 7, completionTokens: 3, totalTokens: 10 } });
    expect(wrong).toBe(401);
    expect(other?.status).toBe(404);
    expect(right).toMatchObject({ isError: false });
    expect(weather.requests.map((r) => r.url)).toEqual(["/weather?city=Bergen"]);
    expect((await events).filter((e) => e.type === "tool.call.completed")).toHaveLength(1);
  });

  it("a tool needing approval called back by an engine is refused (the engine's run cannot pause) and does not run", async () => {
    weather.reset();
    let result: unknown;
    fake.answer = async (body, res) => {
      const called = await fetch(body.toolCallback!.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${body.toolCallback!.token}` },
        body: JSON.stringify({ name: "weather", arguments: '{"city":"Bergen"}', toolCallId: "call-1" }),
      });
      result = await called.json();
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ messages: [{ role: "assistant", content: "No weather today." }], error: "" }));
    };
    const ns = await setup(fake.url, { tools: [{ type: "custom", name: "weather", approval: { required: true } }] });
    const { name } = await runQuery(ns);
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, name)).status).toMatchObject({ phase: "done", response: { content: "No weather today." } });
    expect(result).toMatchObject({ isError: true, content: expect.stringContaining("needs a person's approval, which agent") });
    expect(String((result as { content: string }).content)).toContain("an execution engine's run cannot pause");
    expect(weather.requests).toEqual([]);
    expect(await suite.stack.resources.ark.toolApprovalRequests.list(ns)).toEqual([]);
  });

  it("a team member run by an engine takes its turn through the engine; the next member sees its answer", async () => {
    fake.answer = (_body, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ messages: [{ role: "assistant", content: "Engine: it rains in Bergen." }], error: "" }));
    };
    answerQueries(suite.stack.mock, (request) => ({
      text: `Summary of: ${request.messages
        .filter((m) => m.role === "assistant")
        .map((m) => String(m.content))
        .join(" | ")}`,
    }));
    const ns = await setup(fake.url, { tools: [] });
    await createAgent(suite.stack, ns, "summarizer", { prompt: "Summarize." });
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "duo", namespace: ns },
      spec: {
        strategy: "sequential",
        members: [
          { type: "agent", name: "helper" },
          { type: "agent", name: "summarizer" },
        ],
      },
    });
    const { name } = await runQuery(ns, { target: { type: "team", name: "duo" } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, name);
    expect(query.status).toMatchObject({ phase: "done", response: { content: "Summary of: Engine: it rains in Bergen." } });
    expect(fake.executes.at(-1)!.body.userInput.content).toBe("Weather in Oslo?");
  });

  it("an engine that is down, answers an error, or answers something else fails the query saying so", async () => {
    const stopped = await startFakeEngine();
    await stopped.close();
    const ns = await setup(stopped.url);
    const down = await runQuery(ns, { timeout: "20s" });
    const downQuery = await finishedQuery(suite.stack.resources.ark.queries, ns, down.name);
    expect(downQuery.status?.phase).toBe("error");
    expect(downQuery.status?.message).toContain(`execution engine ${ns}/engine at ${stopped.url} could not be reached`);

    const other = await setup(fake.url);
    const cases: [(body: ExecutionEngineRequest, res: ServerResponse) => void, RegExp][] = [
      [(_b, res) => res.end(JSON.stringify({ messages: [], error: "the model refused" })), /execution engine .*\/engine error: the model refused/],
      [(_b, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>gateway</html>"), /answered with something other than JSON \(content-type text\/html\)/],
      [(_b, res) => res.end(JSON.stringify({ answer: "hi" })), /answered an unknown response shape \(messages: /],
      [(_b, res) => res.writeHead(503).end("overloaded"), /returned error status 503: overloaded/],
    ];
    for (const [answer, expected] of cases) {
      fake.answer = answer;
      const run = await runQuery(other);
      const query = await finishedQuery(suite.stack.resources.ark.queries, other, run.name);
      expect(query.status?.phase).toBe("error");
      expect(query.status?.message).toMatch(expected);
    }
  });

  it("ExecutionEngine: Ready and Available from a probe of /health; the name a2a is refused", async () => {
    const ns = await freshNamespace(suite.stack);
    const create = (name: string, address: string) => suite.stack.resources.ark.executionEngines.create({ metadata: { name, namespace: ns }, spec: { type: "langchain", address: { value: address } } });
    await create("up", executor.url);
    await create("down", "http://127.0.0.1:1");
    /** The ExecutionEngine once its address has been probed (a phase is set, either way). */
    const probedEngine = (name: string): Promise<ExecutionEngine> =>
      vi.waitFor(async () => {
        const engine = await suite.stack.resources.ark.executionEngines.get(ns, name);
        expect(engine?.status?.phase, `engine ${ns}/${name}'s phase`).toBeDefined();
        return engine!;
      }, WITHIN_TEST_TIMEOUT);
    const up = await probedEngine("up");
    expect(up.status).toMatchObject({ phase: "ready", lastResolvedAddress: executor.url, message: "ExecutionEngine address resolved successfully" });
    expect(up.status?.conditions?.map((c) => [c.type, c.status])).toEqual(
      expect.arrayContaining([
        ["Available", "True"],
        ["Ready", "True"],
      ]),
    );
    const down = await probedEngine("down");
    expect(down.status?.phase).toBe("error");
    expect(down.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", message: expect.stringContaining("http://127.0.0.1:1 is not reachable") });

    const refused = await create("a2a", executor.url).then(
      () => undefined,
      (error: unknown) => error as { code?: number },
    );
    expect(refused?.code).toBe(422);
    expect(apiErrorMessage(refused)).toContain("metadata.name");
  });
});
