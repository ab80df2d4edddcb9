import { randomUUID } from "node:crypto";
import { Role, TaskState, type Message, type StreamResponse, type Task } from "@a2a-js/sdk";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_KEY, startA2aStack, type A2aStack } from "./test-support/stack.js";

const auth = { authorization: `Bearer ${ADMIN_KEY}` };

function userMessage(text: string, extra: Partial<Message> = {}): Message {
  return {
    messageId: randomUUID(),
    contextId: "",
    taskId: "",
    role: Role.ROLE_USER,
    parts: [{ content: { $case: "text", value: text }, mediaType: "text/plain", filename: "", metadata: undefined }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
    ...extra,
  };
}

const send = (message: Message) => ({ tenant: "", message, configuration: undefined, metadata: undefined });

function answerOf(task: Task): string {
  return task.artifacts.flatMap((artifact) => artifact.parts.flatMap((part) => (part.content?.$case === "text" ? [part.content.value] : []))).join("");
}

async function rpc(url: string, body: unknown, headers: Record<string, string> = auth): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe.skipIf(!testPostgres())("ark-api-a2a", () => {
  let stack: A2aStack;
  let helperUrl: string;

  beforeAll(async () => {
    stack = await startA2aStack("a2a-server");
    const { ark } = stack;
    await ark.models.create({
      metadata: { name: "default", namespace: "default" },
      spec: { type: "openai", model: { value: "mock-model" }, config: { openai: { baseUrl: { value: stack.mock.url }, apiKey: { value: "sk-test" } } } },
    });
    await ark.agents.create({ metadata: { name: "helper", namespace: "default" }, spec: { prompt: "You help.", description: "Helps with everything" } });
    helperUrl = `${stack.a2a.url}/agent/helper/`;
    await vi.waitFor(async () => expect((await fetch(`${helperUrl}.well-known/agent-card.json`)).status, "helper's agent card").toBe(200), { timeout: 10_000, interval: 100 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack.mock.reset();
    stack.mock.setDefault({ text: "It is sunny in Paris today." });
  });

  it("serves the agent's card: v1.0 with A2A-Version, the 0.3 shape without, at both card paths and both base URLs", async () => {
    const v1 = (await (await fetch(`${helperUrl}.well-known/agent-card.json`, { headers: { "A2A-Version": "1.0" } })).json()) as { supportedInterfaces: unknown[]; skills: unknown[] };
    expect(v1).toMatchObject({ name: "helper", description: "Helps with everything", capabilities: { streaming: true } });
    expect(v1.supportedInterfaces).toContainEqual(expect.objectContaining({ url: helperUrl, protocolBinding: "JSONRPC", protocolVersion: "1.0" }));
    expect(v1.skills).toEqual([expect.objectContaining({ id: "helper-default-skill", name: "General" })]);
    const legacy = await (await fetch(`${stack.a2a.url}/default/agent/helper/.well-known/agent.json`)).json();
    expect(legacy).toMatchObject({ name: "helper", url: helperUrl, protocolVersion: "0.3", capabilities: { streaming: true } });
  });

  it("takes skills from the a2a.mckinsey.com/skills annotation; invalid JSON falls back to the default skill", async () => {
    const skills = JSON.stringify([{ id: "weather", name: "Weather", description: "Forecasts", tags: ["weather"] }]);
    await stack.ark.agents.create({ metadata: { name: "skilled", namespace: "default", annotations: { "a2a.mckinsey.com/skills": skills } }, spec: { prompt: "x" } });
    await stack.ark.agents.create({ metadata: { name: "broken-skills", namespace: "default", annotations: { "a2a.mckinsey.com/skills": "[not json" } }, spec: { prompt: "x" } });
    const cardOf = async (name: string) => {
      const response = await fetch(`${stack.a2a.url}/agent/${name}/.well-known/agent-card.json`, { headers: { "A2A-Version": "1.0" } });
      return response.status === 200 ? ((await response.json()) as { skills: { id: string; name: string }[] }) : undefined;
    };
    await expect.poll(async () => (await cardOf("skilled"))?.skills, { timeout: 5_000 }).toEqual([expect.objectContaining({ id: "weather", name: "Weather", tags: ["weather"] })]);
    await expect.poll(async () => (await cardOf("broken-skills"))?.skills, { timeout: 5_000 }).toEqual([expect.objectContaining({ id: "broken-skills-default-skill" })]);
  });

  it("follows agents through the informer: a new agent answers within a second, a deleted one 404s", async () => {
    const card = `${stack.a2a.url}/agent/newcomer/.well-known/agent-card.json`;
    expect((await fetch(card)).status).toBe(404);
    await stack.ark.agents.create({ metadata: { name: "newcomer", namespace: "default" }, spec: { prompt: "x" } });
    await expect.poll(async () => (await fetch(card)).status, { timeout: 1_000, interval: 50 }).toBe(200);
    await stack.ark.agents.delete("default", "newcomer");
    await expect.poll(async () => (await fetch(card)).status, { timeout: 1_000, interval: 50 }).toBe(404);
  });

  it("lists agents and teams with their URLs at GET /agents, for callers with credentials", async () => {
    await stack.ark.teams.create({ metadata: { name: "crew", namespace: "default" }, spec: { members: [{ type: "agent", name: "helper" }], strategy: "sequential" } });
    expect((await fetch(`${stack.a2a.url}/agents`)).status).toBe(401);
    await expect
      .poll(async () => (await (await fetch(`${stack.a2a.url}/agents`, { headers: auth })).json()) as unknown[], { timeout: 5_000 })
      .toEqual(
        expect.arrayContaining([
          { name: "helper", namespace: "default", description: "Helps with everything", url: helperUrl },
          { name: "crew", namespace: "default", description: "", url: `${stack.a2a.url}/agent/crew/` },
        ]),
      );
  });

  it("answers SendMessage with a completed task holding the agent's answer", async () => {
    const client = await stack.client(helperUrl);
    const result = (await client.sendMessage(send(userMessage("What is the weather?")))) as Task;
    expect(result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(result)).toBe("It is sunny in Paris today.");
    const query = await stack.ark.queries.get("default", `a2a-${result.id}`);
    expect(query?.spec).toMatchObject({ input: "What is the weather?", target: { type: "agent", name: "helper" }, sessionId: result.contextId });
  });

  it("runs a message to a Team as a query on the team", async () => {
    await stack.ark.teams.create({ metadata: { name: "duo", namespace: "default" }, spec: { members: [{ type: "agent", name: "helper" }], strategy: "sequential" } });
    await vi.waitFor(async () => expect((await fetch(`${stack.a2a.url}/agent/duo/.well-known/agent-card.json`)).status, "team duo's agent card").toBe(200), { timeout: 5_000, interval: 100 });
    const result = (await (await stack.client(`${stack.a2a.url}/agent/duo/`)).sendMessage(send(userMessage("Work together")))) as Task;
    expect(result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(result)).toBe("It is sunny in Paris today.");
    expect((await stack.ark.queries.get("default", `a2a-${result.id}`))?.spec.target).toEqual({ type: "team", name: "duo" });
  });

  it("speaks the HTTP+JSON binding under the base URL (rest/) too", async () => {
    const client = await stack.client(helperUrl, "HTTP+JSON");
    const result = (await client.sendMessage(send(userMessage("Over REST")))) as Task;
    expect(result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(await client.getTask({ tenant: "", id: result.id, historyLength: undefined }))).toBe("It is sunny in Paris today.");
  });

  it("streams: working status and answer chunks arrive before the query ends, then the final status", async () => {
    stack.mock.setDefault({ text: "one two three four five six seven eight", chunkDelayMs: 150 });
    const client = await stack.client(helperUrl);
    const seen: StreamResponse["payload"][] = [];
    let phaseAtFirstChunk: string | undefined;
    for await (const event of client.sendMessageStream(send(userMessage("Count for me")))) {
      seen.push(event.payload);
      if (event.payload?.$case === "artifactUpdate" && phaseAtFirstChunk === undefined) {
        phaseAtFirstChunk = (await stack.ark.queries.get("default", `a2a-${event.payload.value.taskId}`))?.status?.phase ?? "none";
      }
    }
    // Not finished yet: running, or not yet written as such (its running write waits briefly, docs/architecture.md §3).
    expect(["none", "running"]).toContain(phaseAtFirstChunk);
    const kinds = seen.map((payload) => payload?.$case);
    expect(kinds[0]).toBe("task");
    expect(kinds).toContain("statusUpdate");
    expect(kinds.filter((kind) => kind === "artifactUpdate").length).toBeGreaterThan(2);
    const last = seen.at(-1);
    expect(last?.$case === "statusUpdate" && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const chunks = seen.flatMap((payload) => (payload?.$case === "artifactUpdate" ? payload.value.artifact!.parts.map((part) => (part.content?.$case === "text" ? part.content.value : "")) : []));
    // Chunks as the model streams them, then the whole answer replacing them (append: false, lastChunk: true).
    expect(chunks.slice(0, -1).join("")).toBe("one two three four five six seven eight");
    expect(chunks.at(-1)).toBe("one two three four five six seven eight");
  });

  it("GetTask and ListTasks are answered by a second ark-api-a2a replica (tasks live in PostgreSQL)", async () => {
    const task = (await (await stack.client(helperUrl)).sendMessage(send(userMessage("Remember this")))) as Task;
    const replica = await stack.startReplica();
    const other = await stack.client(`${replica.url}/agent/helper/`);
    const read = await other.getTask({ tenant: "", id: task.id, historyLength: undefined });
    expect(read).toMatchObject({ id: task.id, contextId: task.contextId, status: { state: TaskState.TASK_STATE_COMPLETED } });
    expect(answerOf(read)).toBe("It is sunny in Paris today.");
    const listed = await other.listTasks({ tenant: "", contextId: task.contextId, status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: "", statusTimestampAfter: undefined, includeArtifacts: true });
    expect(listed.tasks.map((t) => t.id)).toEqual([task.id]);
  });

  it("SubscribeToTask on a replica that does not run the task follows it to the end", async () => {
    stack.mock.setDefault({ text: "slow and steady wins", chunkDelayMs: 100 });
    const client = await stack.client(helperUrl);
    const replica = await stack.startReplica();
    const other = await stack.client(`${replica.url}/agent/helper/`);
    let subscribed: Promise<StreamResponse["payload"][]> | undefined;
    for await (const event of client.sendMessageStream(send(userMessage("Go")))) {
      if (event.payload?.$case === "statusUpdate" && !subscribed) {
        const id = event.payload.value.taskId;
        subscribed = (async () => {
          const seen: StreamResponse["payload"][] = [];
          for await (const update of other.resubscribeTask({ tenant: "", id })) seen.push(update.payload);
          return seen;
        })();
      }
    }
    const seen = await subscribed!;
    expect(seen[0]?.$case).toBe("task");
    const last = seen.at(-1);
    expect(last?.$case === "statusUpdate" && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(seen.some((payload) => payload?.$case === "artifactUpdate")).toBe(true);
  });

  it("CancelTask on another replica cancels the query; the stream ends canceled", async () => {
    stack.mock.setDefault({ hang: true });
    const client = await stack.client(helperUrl);
    const replica = await stack.startReplica();
    const other = await stack.client(`${replica.url}/agent/helper/`);
    let last: StreamResponse["payload"];
    let taskId = "";
    for await (const event of client.sendMessageStream(send(userMessage("Take your time")))) {
      last = event.payload;
      if (event.payload?.$case === "statusUpdate" && event.payload.value.status?.state === TaskState.TASK_STATE_WORKING && !taskId) {
        taskId = event.payload.value.taskId;
        await other.cancelTask({ tenant: "", id: taskId, metadata: undefined });
      }
    }
    expect(last?.$case === "statusUpdate" && last.value.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    const query = await stack.ark.queries.get("default", `a2a-${taskId}`);
    expect(query?.spec.cancel).toBe(true);
    await expect.poll(async () => (await stack.ark.queries.get("default", `a2a-${taskId}`))?.status?.phase, { timeout: 10_000 }).toBe("canceled");
    expect((await client.getTask({ tenant: "", id: taskId, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("stops promptly with an event stream open: the stream ends, the task can be followed on another replica", async () => {
    stack.mock.setDefault({ hang: true });
    const replica = await stack.startReplica();
    const client = await stack.client(`${replica.url}/agent/helper/`);
    let taskId = "";
    const reading = (async () => {
      for await (const event of client.sendMessageStream(send(userMessage("Wait for me")))) {
        if (event.payload?.$case === "task") taskId = event.payload.value.id;
        if (event.payload?.$case === "statusUpdate" && event.payload.value.status?.state === TaskState.TASK_STATE_WORKING) break;
      }
    })();
    await reading;
    const started = Date.now();
    await replica.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    const other = await stack.client(helperUrl);
    expect((await other.getTask({ tenant: "", id: taskId, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_WORKING);
    await other.cancelTask({ tenant: "", id: taskId, metadata: undefined });
  });

  it("a second message in the same context sees the first exchange (contextId is the memory session)", async () => {
    stack.mock.setDefault((request) => ({ text: `reply ${request.messages.filter((m) => m.role === "user").length}` }));
    const client = await stack.client(helperUrl);
    const first = (await client.sendMessage(send(userMessage("My name is Ada.")))) as Task;
    expect(answerOf(first)).toBe("reply 1");
    const second = (await client.sendMessage(send(userMessage("What is my name?", { contextId: first.contextId })))) as Task;
    expect(second.contextId).toBe(first.contextId);
    expect(answerOf(second)).toBe("reply 2");
    const requests = stack.mock.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => (r.body as { messages: unknown[] }).messages);
    expect(requests.at(-1)).toMatchObject([
      { role: "system", content: "You help." },
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "reply 1" },
      { role: "user", content: "What is my name?" },
    ]);
  });

  it("takes the query's timeout from the message metadata, else the configured default", async () => {
    const client = await stack.client(helperUrl);
    const timed = (await client.sendMessage(send(userMessage("Quick", { metadata: { timeout: "90s" } })))) as Task;
    expect((await stack.ark.queries.get("default", `a2a-${timed.id}`))?.spec.timeout).toBe("90s");
    const plain = (await client.sendMessage(send(userMessage("Default")))) as Task;
    expect((await stack.ark.queries.get("default", `a2a-${plain.id}`))?.spec.timeout).toBe("300s");
  });

  it("answers a raw 0.3 JSON-RPC message/send with a 0.3 task", async () => {
    const { status, body } = await rpc(helperUrl, {
      jsonrpc: "2.0",
      id: 7,
      method: "message/send",
      params: { message: { kind: "message", messageId: randomUUID(), role: "user", parts: [{ kind: "text", text: "Hello from 0.3" }] } },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ jsonrpc: "2.0", id: 7, result: { kind: "task", status: { state: "completed" } } });
    expect(body.result.artifacts[0].parts[0]).toEqual({ kind: "text", text: "It is sunny in Paris today." });
  });

  it("refuses JSON-RPC without credentials; the card stays public", async () => {
    const refused = await rpc(helperUrl, { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }, {});
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/missing credentials/);
    expect((await fetch(`${helperUrl}.well-known/agent-card.json`)).status).toBe(200);
  });

  it("scopes by caller: an API key for another namespace is refused here, and another caller's tasks are not found", async () => {
    const task = (await (await stack.client(helperUrl)).sendMessage(send(userMessage("Mine")))) as Task;
    const elsewhere = await stack.apiKey(["other"]);
    const refused = await rpc(helperUrl, { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: task.id } }, { authorization: `Bearer ${elsewhere}`, "A2A-Version": "1.0" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/namespace default/);
    const sameNamespace = await stack.apiKey(["default"]);
    const foreign = await rpc(helperUrl, { jsonrpc: "2.0", id: 2, method: "GetTask", params: { id: task.id } }, { authorization: `Bearer ${sameNamespace}`, "A2A-Version": "1.0" });
    expect(foreign.body.error).toMatchObject({ code: -32001 });
    const listed = (await (await fetch(`${stack.a2a.url}/agents`, { headers: { authorization: `Bearer ${elsewhere}` } })).json()) as unknown[];
    expect(listed).toEqual([]);
  });

  it("errors: an unknown agent is named; malformed JSON-RPC gets a JSON-RPC error; a message with no text part is refused", async () => {
    const unknown = await rpc(`${stack.a2a.url}/agent/nobody/`, { jsonrpc: "2.0", id: 1, method: "SendMessage", params: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: -32001, message: expect.stringContaining('agent "nobody" not found in namespace default') });
    const elsewhere = await fetch(`${stack.a2a.url}/nowhere/agent/helper/.well-known/agent-card.json`);
    expect(elsewhere.status).toBe(404);

    const malformed = await rpc(helperUrl, "{not json", { ...auth, "A2A-Version": "1.0" });
    expect(malformed.status).toBeLessThan(500);
    expect(malformed.body.error.code).toBe(-32700);
    const noMethod = await rpc(helperUrl, { jsonrpc: "2.0", id: 2, params: {} }, { ...auth, "A2A-Version": "1.0" });
    expect(noMethod.status).toBeLessThan(500);
    expect(noMethod.body.error.code).toBeLessThan(0);

    const dataOnly = await rpc(
      helperUrl,
      {
        jsonrpc: "2.0",
        id: 3,
        method: "SendMessage",
        params: { message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ data: { a: 1 } }] } },
      },
      { ...auth, "A2A-Version": "1.0" },
    );
    expect(dataOnly.status).toBeLessThan(500);
    expect(dataOnly.body.error.message).toMatch(/no text part/);

    const badTimeout = await rpc(
      helperUrl,
      {
        jsonrpc: "2.0",
        id: 4,
        method: "SendMessage",
        params: { message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text: "hi" }], metadata: { timeout: "soon" } } },
      },
      { ...auth, "A2A-Version": "1.0" },
    );
    expect(badTimeout.body.error.message).toMatch(/metadata\.timeout must be a duration/);
  });
});

describe.skipIf(!testPostgres())("ark-api-a2a tool approval (docs/architecture.md §3.2)", () => {
  let stack: A2aStack;
  let cashierUrl: string;

  beforeAll(async () => {
    stack = await startA2aStack("a2a-approval");
    const { ark } = stack;
    await ark.models.create({
      metadata: { name: "default", namespace: "default" },
      spec: { type: "openai", model: { value: "mock-model" }, config: { openai: { baseUrl: { value: stack.mock.url }, apiKey: { value: "sk-test" } } } },
    });
    await ark.agents.create({ metadata: { name: "cashier", namespace: "default" }, spec: { prompt: "You pay.", tools: [{ type: "built-in", name: "noop", approval: { required: true } }] } });
    cashierUrl = `${stack.a2a.url}/agent/cashier/`;
    await vi.waitFor(async () => expect((await fetch(`${cashierUrl}.well-known/agent-card.json`)).status, "cashier's agent card").toBe(200), { timeout: 10_000, interval: 100 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack.mock.reset();
    stack.mock.setDefault((request) => {
      const result = [...request.messages].reverse().find((m) => m.role === "tool");
      return result ? { text: `tool said: ${String(result.content)}` } : { toolCalls: [{ name: "noop", arguments: { message: "pay 500" } }] };
    });
  });

  it("the task goes input-required while the call waits; the next message approves it and the task completes", async () => {
    const client = await stack.client(cashierUrl);
    const waiting = (await client.sendMessage(send(userMessage("Pay the bill")))) as Task;
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const prompt = waiting.status?.message?.parts.map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");
    expect(prompt).toContain("Approval needed for noop(");
    const done = (await client.sendMessage(send(userMessage("approve, fine", { taskId: waiting.id, contextId: waiting.contextId })))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(done)).toContain("pay 500");
    const [request] = await stack.ark.toolApprovalRequests.list("default", { labelSelector: `ark.mckinsey.com/query=a2a-${waiting.id.toLowerCase()}` });
    expect(request?.status).toMatchObject({ phase: "approved", decision: { action: "approved", decidedBy: "admin-key", reason: "fine" } });
  });

  it("any other answer rejects with the text as the reason, and the model is told", async () => {
    const client = await stack.client(cashierUrl);
    const waiting = (await client.sendMessage(send(userMessage("Pay the bill")))) as Task;
    const done = (await client.sendMessage(send(userMessage("reject: not this month", { taskId: waiting.id, contextId: waiting.contextId })))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(done)).toBe("tool said: Error: the call was rejected by admin-key: not this month");
  });
});
