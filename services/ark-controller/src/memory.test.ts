import { memoryConfig, start as startMemoryService, type RunningMemoryService } from "@ark/postgres-memory";
import { loadConfig, MEMORY_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import { createTestDatabase, finishedQuery, type TestDatabase, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { startRecordingServer } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests, uniqueName } from "./test-support/manifests.js";

/** postgres-memory and the worker share it; the worker sends each Memory a token for its namespace. */
const MEMORY_SECRET = "memory-secret-for-controller-tests-0123";

describe.skipIf(!testPostgres())("conversation memory through postgres-memory", () => {
  const suite = useControllerSuite({ MEMORY_AUTH_SECRET: MEMORY_SECRET });
  let database: TestDatabase;
  let memoryService: RunningMemoryService;

  beforeAll(async () => {
    database = await createTestDatabase({ label: "controller-memory" });
    memoryService = await startMemoryService(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: database.url, MEMORY_AUTH_SECRET: MEMORY_SECRET }));
  });
  afterAll(async () => {
    await memoryService?.stop();
    await database?.drop();
  });
  beforeEach(() => {
    // The answer names what the model was told before this turn, so a test sees the history through the answer too.
    answerQueries(suite.stack.mock, (request) => ({ text: `reply ${request.messages.filter((m) => m.role === "user").length}` }));
  });

  /** A namespace with the default Model, an agent `helper`, and a Memory `name` at `address` (the service when omitted). */
  async function setup(memory?: { name: string; address?: string }) {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "helper", { prompt: "Be helpful." });
    if (memory) {
      await suite.stack.resources.ark.memories.create({ metadata: { name: memory.name, namespace: ns }, spec: { address: { value: memory.address ?? memoryService.url } } });
    }
    return ns;
  }

  /** The session as the worker stored it, read with the namespace's token. */
  async function stored(ns: string, sessionId: string): Promise<unknown[]> {
    const response = await fetch(`${memoryService.url}/messages/${sessionId}`, { headers: { authorization: `Bearer ${namespaceToken(MEMORY_SECRET, MEMORY_TOKEN_AUDIENCE, ns)}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: unknown[] | null }).messages ?? [];
  }

  const run = async (ns: string, spec: Record<string, unknown>) => {
    const name = uniqueName("q");
    await createQuery(suite.stack, ns, name, { target: { type: "agent", name: "helper" }, ...spec });
    return finishedQuery(suite.stack.resources.ark.queries, ns, name);
  };

  it("a follow-up query with the same sessionId sees the earlier exchange; each exchange is appended", async () => {
    const ns = await setup({ name: "chat" });
    const sessionId = uniqueName("conversation");
    const first = await run(ns, { input: "My name is Ada.", memory: { name: "chat" }, sessionId });
    expect(first.status).toMatchObject({ phase: "done", response: { content: "reply 1" } });
    const second = await run(ns, { input: "What is my name?", memory: { name: "chat" }, sessionId });
    expect(second.status).toMatchObject({ phase: "done", response: { content: "reply 2" } });

    const requests = queryRequests(suite.stack.mock).map((r) => (r.body as { messages: unknown[] }).messages);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject([
      { role: "system", content: "Be helpful." },
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "reply 1" },
      { role: "user", content: "What is my name?" },
    ]);
    expect(await stored(ns, sessionId)).toMatchObject([
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "reply 1" },
      { role: "user", content: "What is my name?" },
      { role: "assistant", content: "reply 2" },
    ]);
  });

  // Upstream's newer Memory: spec.headers (values, ConfigMaps, the query's parameters) on every memory call.
  it("sends the Memory's spec.headers on the query's reads and writes, and the ones not read from a query on the probe", async () => {
    const service = await startRecordingServer((request, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(request.method === "GET" && request.url.startsWith("/messages/") ? '{"messages":[]}' : "{}");
    });
    try {
      const ns = await setup();
      await suite.stack.resources.core.configMaps.create({ metadata: { name: "routing", namespace: ns }, data: { route: "blue" } });
      await suite.stack.resources.ark.memories.create({
        metadata: { name: "remote", namespace: ns },
        spec: {
          address: { value: service.url },
          headers: [
            { name: "X-Tenant", value: { value: "team-a" } },
            { name: "X-Route", value: { valueFrom: { configMapKeyRef: { name: "routing", key: "route" } } } },
            { name: "X-User", value: { valueFrom: { queryParameterRef: { name: "user" } } } },
          ],
        },
      });
      const sessionId = uniqueName("headers");
      const query = await run(ns, { input: "Hi {{.user}}.", parameters: [{ name: "user", value: "alice" }], memory: { name: "remote" }, sessionId });
      expect(query.status).toMatchObject({ phase: "done", response: { content: "reply 1" } });
      const calls = service.requests.filter((r) => r.url.startsWith("/messages/"));
      expect(calls.map((r) => r.method)).toEqual(["GET", "PUT"]);
      for (const call of calls) expect(call.headers).toMatchObject({ "x-tenant": "team-a", "x-route": "blue", "x-user": "alice" });
      const probe = await vi.waitFor(() => {
        const ready = service.requests.find((r) => r.url === "/ready");
        expect(ready, "a probe of /ready").toBeDefined();
        return ready!;
      }, WITHIN_TEST_TIMEOUT);
      expect(probe?.headers).toMatchObject({ "x-tenant": "team-a", "x-route": "blue" });
      expect(probe?.headers["x-user"]).toBeUndefined();
    } finally {
      await service.close();
    }
  });

  it("without spec.memory the Memory named default is used; without sessionId the session is the query's uid", async () => {
    const ns = await setup({ name: "default" });
    const query = await run(ns, { input: "Remember me." });
    expect(query.status?.phase).toBe("done");
    expect(await stored(ns, query.metadata.uid!)).toMatchObject([
      { role: "user", content: "Remember me." },
      { role: "assistant", content: "reply 1" },
    ]);
    expect(query.status?.conversationId).toBe(query.metadata.uid);
  });

  it("a messages query runs the agent on its messages as written; a follow-up with its conversationId continues it", async () => {
    const ns = await setup({ name: "chat" });
    const conversationId = uniqueName("conv");
    const input = [
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "What is 2+2?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "calc", arguments: '{"expr":"2+2"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "4" },
      { role: "assistant", content: "4" },
      {
        role: "user",
        content: [
          { type: "text", text: "And " },
          { type: "text", text: "3+3?" },
        ],
      },
    ];
    const first = await run(ns, { type: "messages", input, memory: { name: "chat" }, conversationId });
    expect(first.spec.input).toEqual(input);
    expect(first.status).toMatchObject({ phase: "done", conversationId, response: { content: "reply 2", phase: "done" } });
    expect(JSON.parse(first.status?.response?.raw ?? "[]")).toMatchObject([{ role: "assistant", content: "reply 2" }]);
    const asked = [
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "What is 2+2?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "calc", arguments: '{"expr":"2+2"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "4" },
      { role: "assistant", content: "4" },
      { role: "user", content: "And 3+3?" },
    ];
    expect((queryRequests(suite.stack.mock)[0]!.body as { messages: unknown[] }).messages).toMatchObject([{ role: "system", content: "Be helpful." }, ...asked]);

    // The conversation goes on under status.conversationId, a string input now; the stored system message is left
    // out of the history unless the query asks for it, as upstream.
    const second = await run(ns, { input: "Thanks.", memory: { name: "chat" }, conversationId: first.status?.conversationId });
    expect(second.status).toMatchObject({ phase: "done", conversationId, response: { content: "reply 3" } });
    const continued = [...asked.slice(1), { role: "assistant", content: "reply 2" }, { role: "user", content: "Thanks." }];
    expect((queryRequests(suite.stack.mock)[1]!.body as { messages: unknown[] }).messages).toMatchObject([{ role: "system", content: "Be helpful." }, ...continued]);
    expect(await stored(ns, conversationId)).toHaveLength(asked.length + 3);

    const name = uniqueName("q");
    await suite.stack.resources.ark.queries.create({
      metadata: { name, namespace: ns, annotations: { "ark.mckinsey.com/memory-hydrate-system-message": "true" } },
      spec: { input: "Bye.", target: { type: "agent", name: "helper" }, memory: { name: "chat" }, conversationId } as never,
    });
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, name)).status?.phase).toBe("done");
    expect((queryRequests(suite.stack.mock)[2]!.body as { messages: unknown[] }).messages).toMatchObject([
      { role: "system", content: "Be helpful." },
      ...asked,
      { role: "assistant", content: "reply 2" },
      { role: "user", content: "Thanks." },
      { role: "assistant", content: "reply 3" },
      { role: "user", content: "Bye." },
    ]);
  });

  it("a messages query to a model target sends every message after the session's history", async () => {
    const ns = await setup();
    const name = uniqueName("q");
    await createQuery(suite.stack, ns, name, {
      type: "messages",
      input: [
        { role: "developer", content: "Be terse." },
        { role: "user", content: "Hi." },
        { role: "assistant", content: "Hello." },
        { role: "user", content: "Bye." },
      ],
      target: { type: "model", name: "default" },
    });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, name);
    expect(query.status).toMatchObject({ phase: "done", response: { content: "reply 2", phase: "done" } });
    expect((queryRequests(suite.stack.mock)[0]!.body as { messages: unknown[] }).messages).toEqual([
      { role: "system", content: "Be terse." },
      { role: "user", content: "Hi." },
      { role: "assistant", content: "Hello." },
      { role: "user", content: "Bye." },
    ]);
  });

  it("with no spec.memory and no default Memory, a query runs as before and nothing is stored", async () => {
    const ns = await setup();
    const sessionId = uniqueName("unstored");
    const query = await run(ns, { input: "Hi.", sessionId });
    expect(query.status).toMatchObject({ phase: "done", response: { content: "reply 1" } });
    expect((queryRequests(suite.stack.mock)[0]!.body as { messages: unknown[] }).messages).toEqual([
      { role: "system", content: "Be helpful." },
      { role: "user", content: "Hi." },
    ]);
    expect(await stored(ns, sessionId)).toEqual([]);
  });

  it("a team target saves the user message and every member's turn (docs/architecture.md §7.5)", async () => {
    const ns = await setup({ name: "chat" });
    await createAgent(suite.stack, ns, "second", { prompt: "Be second." });
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "duo", namespace: ns },
      spec: {
        strategy: "sequential",
        members: [
          { type: "agent", name: "helper" },
          { type: "agent", name: "second" },
        ],
      },
    });
    const sessionId = uniqueName("team-session");
    const query = await run(ns, { input: "Plan a trip.", target: { type: "team", name: "duo" }, memory: { name: "chat" }, sessionId });
    expect(query.status?.phase).toBe("done");
    expect((await stored(ns, sessionId)).map((m) => (m as { role: string }).role)).toEqual(["user", "assistant", "assistant"]);
    expect((await stored(ns, sessionId))[0]).toEqual({ role: "user", content: "Plan a trip." });
  });

  it("a memory service that is down, or a spec.memory that does not exist, fails the query naming the Memory", async () => {
    const ns = await setup({ name: "gone", address: "http://127.0.0.1:1" });
    const down = await run(ns, { input: "Hi.", memory: { name: "gone" }, sessionId: "s-1" });
    expect(down.status?.phase).toBe("error");
    expect(down.status?.message).toMatch(new RegExp(`^memory ${ns}/gone: GET http://127\\.0\\.0\\.1:1/messages/s-1 failed: .*ECONNREFUSED`));
    expect(queryRequests(suite.stack.mock)).toHaveLength(0);

    // A missing spec.memory is a reference like any other: the query waits for it (QUERY_REFERENCE_WAIT), then fails.
    const missing = await run(ns, { input: "Hi.", memory: { name: "nowhere" } });
    expect(missing.status).toMatchObject({ phase: "error", message: `query ${ns}/${missing.metadata.name}: spec.memory: memory "nowhere" not found in namespace ${ns}` });
    expect(queryRequests(suite.stack.mock)).toHaveLength(0);
  });

  it("a query applied before its Memory waits for it, then runs with it", async () => {
    const ns = await setup();
    const name = uniqueName("q");
    const sessionId = uniqueName("late");
    await createQuery(suite.stack, ns, name, { target: { type: "agent", name: "helper" }, input: "Hello.", memory: { name: "late" }, sessionId });
    await expect.poll(async () => (await suite.stack.resources.ark.queries.get(ns, name))?.status?.phase, WITHIN_TEST_TIMEOUT).toBe("pending");
    await suite.stack.resources.ark.memories.create({ metadata: { name: "late", namespace: ns }, spec: { address: { value: memoryService.url } } });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, name);
    expect(query.status).toMatchObject({ phase: "done", response: { content: "reply 1" } });
    expect(await stored(ns, sessionId)).toEqual([
      { role: "user", content: "Hello." },
      { role: "assistant", content: "reply 1", name: "helper" },
    ]);
  });

  it("two namespaces on one postgres-memory never share a conversation, even under the same sessionId", async () => {
    const sessionId = uniqueName("shared-id");
    const alice = await setup({ name: "chat" });
    const mallory = await setup({ name: "chat" });
    expect((await run(alice, { input: "My password is swordfish.", memory: { name: "chat" }, sessionId })).status?.phase).toBe("done");
    expect((await run(mallory, { input: "What did I say before?", memory: { name: "chat" }, sessionId })).status?.phase).toBe("done");
    const malloryRequest = queryRequests(suite.stack.mock)
      .map((r) => (r.body as { messages: { content: string }[] }).messages)
      .at(-1)!;
    expect(JSON.stringify(malloryRequest)).not.toContain("swordfish");
    expect(await stored(mallory, sessionId)).toHaveLength(2);
    expect(JSON.stringify(await stored(alice, sessionId))).toContain("swordfish");
    // Without the worker's token, nothing is read at all.
    expect((await fetch(`${memoryService.url}/messages/${sessionId}`)).status).toBe(401);
  });
});
