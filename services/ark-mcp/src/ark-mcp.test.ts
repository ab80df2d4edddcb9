import { request } from "node:http";
import { testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import type { QueryTarget } from "@ark/types";
import { CallToolResultSchema, type CallToolResult, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answeringEvents, createdQuery, runScripted } from "./test-support/fake-worker.js";
import { freshNamespace, startMcpStack, type McpStack } from "./test-support/stack.js";

/** node:http, because fetch will not send a Host header of our choosing. */
function postStatus(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const text = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const json = (result: CallToolResult): unknown => JSON.parse((result.content[0] as { text: string }).text);

describe.skipIf(!testPostgres())("ark-mcp over an SDK client session", () => {
  let stack: McpStack;

  beforeAll(async () => {
    stack = await startMcpStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function agent(namespace: string, name: string, spec: Record<string, unknown> = {}) {
    await stack.ark.agents.create({ metadata: { name, namespace }, spec: { prompt: `You are ${name}.`, ...spec } });
  }

  it("initializes at / and /mcp with ARK's server info and logging, and lists the tools with annotations", async () => {
    for (const path of ["/", "/mcp"] as const) {
      const client = await stack.connect(path);
      expect(client.getServerVersion()).toMatchObject({ name: "ark" });
      expect(client.getServerCapabilities()).toMatchObject({ logging: {}, tools: {}, resources: {} });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["decide_tool_approval", "get_query", "list_agents", "list_models", "list_teams", "list_tool_approvals", "query", "query_agent"]);
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      expect(byName["list_agents"]?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(byName["query"]?.annotations).toMatchObject({ readOnlyHint: false, openWorldHint: true });
      expect(byName["query_agent"]?.inputSchema.required).toEqual(["agent", "input"]);
      expect(byName["list_agents"]?.inputSchema.properties?.["namespace"]).toMatchObject({ default: "default" });
    }
  });

  it("list_tool_approvals shows pending requests; decide_tool_approval approves or rejects once, with the caller as decider", async () => {
    const ns = await freshNamespace(stack);
    const create = (name: string, reasonRequired = false) =>
      stack.ark.toolApprovalRequests.create({
        metadata: { name, namespace: ns },
        spec: {
          queryRef: { name: "q", namespace: ns },
          toolCalls: [{ id: "c1", name: "pay", type: "http", arguments: '{"amount":500}', agentReasoning: "paying" }],
          ...(reasonRequired ? { reasonRequired } : {}),
          executionContext: { conversationHistory: "W10=", pendingToolCallIndex: 0, agentName: "a", agentNamespace: ns },
        },
      });
    await create("pay-1");
    await create("pay-2", true);
    const client = await stack.connect("/mcp");
    const listed = json((await client.callTool({ name: "list_tool_approvals", arguments: { namespace: ns } })) as CallToolResult) as Array<Record<string, unknown>>;
    expect(listed.map((r) => r.name).sort()).toEqual(["pay-1", "pay-2"]);
    expect(listed[0]).toMatchObject({ query: "q", phase: "pending", tool_calls: [{ name: "pay", arguments: '{"amount":500}', reasoning: "paying" }] });

    const approved = (await client.callTool({ name: "decide_tool_approval", arguments: { name: "pay-1", action: "approve", arguments: { amount: 5 }, namespace: ns } })) as CallToolResult;
    expect(json(approved)).toMatchObject({ decision: { action: "approved", arguments: { amount: 5 } } });
    const again = (await client.callTool({ name: "decide_tool_approval", arguments: { name: "pay-1", action: "reject", namespace: ns } })) as CallToolResult;
    expect(again.isError).toBe(true);
    expect(text(again)).toContain("already approved");
    const noReason = (await client.callTool({ name: "decide_tool_approval", arguments: { name: "pay-2", action: "reject", namespace: ns } })) as CallToolResult;
    expect(noReason.isError).toBe(true);
    expect(text(noReason)).toContain("needs a reason");
    expect((await stack.ark.toolApprovalRequests.get(ns, "pay-2"))?.status?.decision).toBeUndefined();
  });

  it("decide_tool_approval on a request with approvers: refused to anyone else, naming them; the approver decides", async () => {
    const ns = await freshNamespace(stack);
    const create = (name: string, approvers: Array<{ user: string }>) =>
      stack.ark.toolApprovalRequests.create({
        metadata: { name, namespace: ns },
        spec: {
          queryRef: { name: "q", namespace: ns },
          toolCalls: [{ id: "c1", name: "pay", type: "http", arguments: '{"amount":500}' }],
          approvers,
          executionContext: { conversationHistory: "W10=", pendingToolCallIndex: 0, agentName: "a", agentNamespace: ns },
        },
      });
    await create("pay-alice", [{ user: "alice" }]);
    const client = await stack.connect("/mcp");
    const refused = (await client.callTool({ name: "decide_tool_approval", arguments: { name: "pay-alice", action: "approve", namespace: ns } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("only by its approvers (spec.approvers: user alice)");
    expect((await stack.ark.toolApprovalRequests.get(ns, "pay-alice"))?.status?.decision).toBeUndefined();
    // The session's principal, as a decision records it, listed as an approver.
    const caller = /; (\S+) is not one/.exec(text(refused))![1]!;
    await create("pay-caller", [{ user: "alice" }, { user: caller }]);
    const approved = (await client.callTool({ name: "decide_tool_approval", arguments: { name: "pay-caller", action: "approve", namespace: ns } })) as CallToolResult;
    expect(json(approved)).toMatchObject({ decision: { action: "approved", decidedBy: caller } });
  });

  it("list_agents, list_teams and list_models answer with the applied resources in upstream's shape", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "weather", { description: "Knows the weather", modelRef: { name: "gpt" } });
    await agent(ns, "plain");
    await stack.ark.teams.create({ metadata: { name: "crew", namespace: ns }, spec: { strategy: "sequential", members: [{ type: "agent", name: "weather" }] } });
    await stack.ark.models.create({
      metadata: { name: "gpt", namespace: ns },
      spec: { type: "openai", model: { value: "gpt-4.1-mini" }, config: { openai: { baseUrl: { value: "http://127.0.0.1:9/v1" }, apiKey: { value: "k" } } } },
    });
    const client = await stack.connect();

    const agents = json((await client.callTool({ name: "list_agents", arguments: { namespace: ns } })) as CallToolResult) as Record<string, unknown>[];
    expect(agents.sort((a, b) => String(a["name"]).localeCompare(String(b["name"])))).toEqual([
      { name: "plain", namespace: ns, description: null, model_ref: "default", prompt: "You are plain.", tools: [], status: null },
      { name: "weather", namespace: ns, description: "Knows the weather", model_ref: "gpt", prompt: "You are weather.", tools: [], status: null },
    ]);
    const teams = json((await client.callTool({ name: "list_teams", arguments: { namespace: ns } })) as CallToolResult);
    expect(teams).toEqual([expect.objectContaining({ name: "crew", strategy: "sequential", members: [{ type: "agent", name: "weather" }] })]);
    const models = json((await client.callTool({ name: "list_models", arguments: { namespace: ns } })) as CallToolResult);
    expect(models).toEqual([expect.objectContaining({ name: "gpt", type: "openai", model: "gpt-4.1-mini" })]);
    const empty = (await client.callTool({ name: "list_agents", arguments: {} })) as CallToolResult;
    expect(empty.isError).toBeFalsy();
  });

  it("serves the namespaces, a namespace's agents and one agent as resources", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "reader", { description: "reads" });
    const client = await stack.connect();
    const namespaces = await client.readResource({ uri: "ark://namespaces" });
    expect(JSON.parse((namespaces.contents[0] as { text: string }).text)).toMatchObject({ namespaces: expect.arrayContaining(["default", ns]) });
    const agents = await client.readResource({ uri: `ark://namespaces/${ns}/agents` });
    expect(JSON.parse((agents.contents[0] as { text: string }).text)).toMatchObject({ namespace: ns, count: 1, agents: [{ name: "reader", description: "reads" }] });
    const one = await client.readResource({ uri: `ark://namespaces/${ns}/agents/reader` });
    expect(JSON.parse((one.contents[0] as { text: string }).text)).toMatchObject({ kind: "Agent", metadata: { name: "reader", namespace: ns }, spec: { description: "reads" } });
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toEqual(["ark://namespaces/{namespace}/agents", "ark://namespaces/{namespace}/agents/{agent}"]);
    const listed = await client.listResources();
    expect(listed.resources.map((r) => r.uri)).toEqual(expect.arrayContaining(["ark://namespaces", `ark://namespaces/${ns}/agents`]));
    await expect(client.readResource({ uri: `ark://namespaces/${ns}/agents/missing` })).rejects.toThrow(/agent "missing" not found/);
  });

  it("query: progress notifications follow the bus events in order, then the answer", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "forecaster");
    const client = await stack.connect();
    const progress: Progress[] = [];
    const call = client.callTool({ name: "query", arguments: { target: "agent/forecaster", input: "Weather?", namespace: ns } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p),
    });
    const query = await runScripted(stack, ns, answeringEvents("It is sunny."));
    const result = (await call) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(json(result)).toEqual({
      success: true,
      phase: "done",
      response: "It is sunny.",
      query_name: query.metadata.name,
      namespace: ns,
      target: "agent/forecaster",
      responses: [{ target: "agent/forecaster", content: "It is sunny." }],
      token_usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
    });
    expect(query.metadata.name).toMatch(/^query-forecaster-[0-9a-f]{8}$/);
    expect(query.spec).toMatchObject({ input: "Weather?", target: { type: "agent", name: "forecaster" } });
    expect(progress.map((p) => p.message)).toEqual([
      "query started (agent/forecaster)",
      "agent forecaster started",
      "agent forecaster: model call done (7 tokens)",
      "agent forecaster: calling tool weather",
      "agent forecaster: tool weather returned",
      "agent forecaster answered",
      "query done",
    ]);
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("query_agent keeps upstream's arguments and answer fields; teams and models are targets too", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "helper");
    await stack.ark.teams.create({ metadata: { name: "crew", namespace: ns }, spec: { strategy: "sequential", members: [{ type: "agent", name: "helper" }] } });
    const client = await stack.connect("/");
    const call = client.callTool({ name: "query_agent", arguments: { agent: "helper", input: "Hi", namespace: ns } });
    await runScripted(stack, ns, answeringEvents("Hello!"));
    expect(json((await call) as CallToolResult)).toMatchObject({ success: true, phase: "done", response: "Hello!", namespace: ns, query_name: expect.stringMatching(/^query-helper-/) });

    await stack.ark.queries.list(ns).then((qs) => Promise.all(qs.map((q) => stack.ark.queries.delete(ns, q.metadata.name ?? ""))));
    const team = client.callTool({ name: "query", arguments: { type: "team", name: "crew", input: "Go", namespace: ns } });
    const teamQuery = await runScripted(stack, ns, answeringEvents("Team says hi"));
    expect(teamQuery.spec.target).toEqual<QueryTarget>({ type: "team", name: "crew" });
    expect(json((await team) as CallToolResult)).toMatchObject({ success: true, response: "Team says hi", target: "team/crew" });
  });

  it("a failed query comes back as isError with the message and what is known", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "broken");
    const client = await stack.connect();
    const call = client.callTool({ name: "query", arguments: { target: "agent/broken", input: "x", namespace: ns } });
    await runScripted(stack, ns, (target) => [
      { type: "target.started", time: new Date().toISOString(), target },
      { type: "target.failed", time: new Date().toISOString(), target, message: "model gpt: 401 unauthorized", durationMs: 1 },
      { type: "query.failed", time: new Date().toISOString(), message: "agent broken: model gpt: 401 unauthorized", code: "PROVIDER_UNAUTHORIZED" },
    ]);
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^query .*\/query-broken-[0-9a-f]{8} error: agent broken: model gpt: 401 unauthorized/);
    expect(result.structuredContent).toMatchObject({ success: false, phase: "error" });
  });

  it("an unknown target, an unknown type and blank input are isError with a clear message (no Query created)", async () => {
    const ns = await freshNamespace(stack);
    const client = await stack.connect();
    const unknown = (await client.callTool({ name: "query_agent", arguments: { agent: "ghost", input: "hello", namespace: ns } })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toBe(`agent "ghost" not found in namespace ${ns}`);
    const badType = (await client.callTool({ name: "query", arguments: { target: "robot/x", input: "hello", namespace: ns } })) as CallToolResult;
    expect(text(badType)).toMatch(/type must be one of agent, team, model/);
    const blank = (await client.callTool({ name: "query_agent", arguments: { agent: "ghost", input: "  ", namespace: ns } })) as CallToolResult;
    expect(blank.isError).toBe(true);
    const noTarget = (await client.callTool({ name: "query", arguments: { input: "hello", namespace: ns } })) as CallToolResult;
    expect(text(noTarget)).toMatch(/name the target/);
    expect(await stack.ark.queries.list(ns)).toEqual([]);
  });

  it("answers from the Query's status when the controller ends it without a run (watched, not polled)", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "orphan", { modelRef: { name: "nowhere" } });
    const client = await stack.connect();
    const call = client.callTool({ name: "query", arguments: { target: "orphan", input: "x", namespace: ns } });
    const query = await createdQuery(stack, ns);
    await stack.ark.queries.patchStatus(ns, query.metadata.name ?? "", { phase: "error", message: 'agent orphan: model "nowhere" not found' });
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('model "nowhere" not found');
  });

  it("canceling the call cancels the Query; get_query reports it", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "slow");
    const client = await stack.connect();
    const controller = new AbortController();
    const call = client.callTool({ name: "query", arguments: { target: "agent/slow", input: "x", namespace: ns } }, CallToolResultSchema, { signal: controller.signal });
    const query = await createdQuery(stack, ns);
    controller.abort();
    await expect(call).rejects.toThrow();
    const name = query.metadata.name ?? "";
    await expect.poll(async () => (await stack.ark.queries.get(ns, name))?.spec.cancel, { ...WITHIN_TEST_TIMEOUT, interval: 20 }).toBe(true);

    await stack.ark.queries.patchStatus(ns, name, { phase: "canceled", message: "canceled: spec.cancel is true" });
    const got = (await client.callTool({ name: "get_query", arguments: { name, namespace: ns } })) as CallToolResult;
    expect(json(got)).toMatchObject({ query_name: name, namespace: ns, phase: "canceled", targets: ["agent/slow"], input: "x" });
    const missing = (await client.callTool({ name: "get_query", arguments: { name: "nope", namespace: ns } })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(text(missing)).toBe(`query "nope" not found in namespace ${ns}`);
  });

  it("times out with a pointer to get_query when the answer takes longer than the call's timeout", async () => {
    const ns = await freshNamespace(stack);
    await agent(ns, "sleepy");
    const client = await stack.connect();
    const result = (await client.callTool({ name: "query", arguments: { target: "agent/sleepy", input: "x", namespace: ns, timeout: 1 } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/did not finish within 1 seconds; it keeps running: read it later with get_query/);
    const [query] = await stack.ark.queries.list(ns);
    expect(query?.spec.timeout).toBe("1s");
  });

  it("rejects invalid arguments and unknown tools as errors, and refuses foreign Host headers", async () => {
    const client = await stack.connect();
    const invalid = (await client.callTool({ name: "get_query", arguments: {} })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(text(invalid)).toMatch(/Invalid arguments|name/);
    const unknown = (await client.callTool({ name: "teleport", arguments: {} })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } });
    expect(await postStatus(stack.mcp.mcpUrl, initialize, { host: "evil.example" })).toBe(403);
    expect(await postStatus(stack.mcp.mcpUrl, initialize, { origin: "http://evil.example" })).toBe(403);
    // Cluster names pass once ALLOWED_HOSTS lists them (the chart and compose do); by default only localhost does.
    expect(await postStatus(stack.mcp.mcpUrl, initialize, { host: "ark-mcp.ark.svc.cluster.local:2627" })).toBe(403);
    expect(await postStatus(stack.mcp.mcpUrl, initialize, { host: "localhost:2627" })).toBe(200);
    const noSession = await fetch(stack.mcp.mcpUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": "gone" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(noSession.status).toBe(404);
  });
});
