import { finishedQuery, testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests } from "./test-support/manifests.js";
import { startTestMcpServer, type TestMcpServer } from "./test-support/mcp-test-server.js";

// Upstream's overrides (docs/upstream-compat.md §6.9): headers for the Models and MCPServers a run calls, selected by label.
describe.skipIf(!testPostgres())("ark-controller sends a query's and an agent's overrides", () => {
  const suite = useControllerSuite({ ARK_EGRESS_ALLOW: "127.0.0.1" });
  let mcp: TestMcpServer;

  beforeAll(async () => {
    // Only a call with the override's header gets through.
    mcp = await startTestMcpServer({ tools: { lookup: "Looks a thing up" }, requiredHeader: { name: "x-tenant-token", value: "from-override" } });
  });
  afterAll(async () => {
    await mcp?.stop();
  });

  it("the selected Model's calls carry the headers (query over agent), the unselected ones' do not; the MCP server's calls carry theirs", async () => {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await suite.stack.resources.core.secrets.create({ metadata: { name: "gateway", namespace: ns }, stringData: { token: "s3cret" } });
    await suite.stack.resources.core.configMaps.create({ metadata: { name: "routing", namespace: ns }, data: { route: "eu-west" } });
    await suite.stack.resources.ark.models.create({
      metadata: { name: "default", namespace: ns, labels: { gateway: "public" } },
      spec: {
        type: "openai",
        model: { value: "mock-model" },
        config: { openai: { baseUrl: { value: suite.stack.mock.url }, apiKey: { valueFrom: { secretKeyRef: { name: "mock-key", key: "token" } } } } },
      },
    });
    await suite.stack.resources.ark.mcpServers.create({ metadata: { name: "lookups", namespace: ns, labels: { tier: "gold" } }, spec: { address: { value: mcp.url } } });
    await suite.stack.resources.ark.tools.create({
      metadata: { name: "lookup", namespace: ns },
      spec: { type: "mcp", mcp: { mcpServerRef: { name: "lookups" }, toolName: "lookup" } },
    });
    await createAgent(suite.stack, ns, "caller", {
      tools: [{ type: "mcp", name: "lookup" }],
      overrides: [
        {
          resourceType: "model",
          headers: [
            { name: "X-Tenant", value: { value: "from-agent" } },
            { name: "X-Agent", value: { value: "caller" } },
          ],
        },
      ],
    });
    answerQueries(suite.stack.mock, (request) => {
      const result = request.messages.find((m) => m.role === "tool");
      return result ? { text: `got ${result.content}` } : { toolCalls: [{ name: "lookup", arguments: { text: "x" } }] };
    });
    await createQuery(suite.stack, ns, "q", {
      input: "look it up",
      target: { type: "agent", name: "caller" },
      parameters: [{ name: "user", value: "ada" }],
      overrides: [
        {
          resourceType: "model",
          labelSelector: { matchLabels: { gateway: "public" } },
          headers: [
            { name: "x-tenant", value: { value: "acme" } },
            { name: "X-Gateway-Key", value: { valueFrom: { secretKeyRef: { name: "gateway", key: "token" } } } },
            { name: "X-Route", value: { valueFrom: { configMapKeyRef: { name: "routing", key: "route" } } } },
            { name: "X-User", value: { valueFrom: { queryParameterRef: { name: "user" } } } },
          ],
        },
        { resourceType: "model", labelSelector: { matchLabels: { gateway: "private" } }, headers: [{ name: "X-Private", value: { value: "no" } }] },
        { resourceType: "mcpserver", labelSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["gold"] }] }, headers: [{ name: "X-Tenant-Token", value: { value: "from-override" } }] },
      ],
    });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status).toMatchObject({ phase: "done", response: { content: "got lookup: x" } });

    const calls = queryRequests(suite.stack.mock);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.headers).toMatchObject({ "x-tenant": "acme", "x-agent": "caller", "x-gateway-key": "s3cret", "x-route": "eu-west", "x-user": "ada" });
      expect(call.headers["x-private"]).toBeUndefined();
      expect(call.headers.authorization).toBe("Bearer sk-test");
    }
    expect(mcp.headerValues).toContain("from-override");
  });

  it("an override whose Secret is missing fails the query naming the header", async () => {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "caller");
    await createQuery(suite.stack, ns, "q", {
      input: "hi",
      target: { type: "agent", name: "caller" },
      overrides: [{ resourceType: "model", headers: [{ name: "X-Key", value: { valueFrom: { secretKeyRef: { name: "absent", key: "k" } } } }] }],
    });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status).toMatchObject({ phase: "error", message: expect.stringContaining(`query ${ns}/q: spec.overrides[0].headers[0] (X-Key)`) });
    expect(queryRequests(suite.stack.mock)).toHaveLength(0);
  });

  it("an agent parameter with valueFrom.queryParameterRef takes the query's parameter into the prompt", async () => {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "guide", {
      prompt: "You guide visitors of {{.city}}.",
      parameters: [{ name: "city", valueFrom: { queryParameterRef: { name: "destination" } } }],
    });
    answerQueries(suite.stack.mock, { text: "welcome" });
    await createQuery(suite.stack, ns, "q", { input: "Hi", target: { type: "agent", name: "guide" }, parameters: [{ name: "destination", value: "Porto" }] });
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, "q")).status?.message).toBe("the query finished");
    expect((queryRequests(suite.stack.mock)[0]!.body as { messages: { content: string }[] }).messages[0]).toEqual({ role: "system", content: "You guide visitors of Porto." });

    // Without the parameter the query fails saying which one, as upstream.
    await createQuery(suite.stack, ns, "q2", { input: "Hi", target: { type: "agent", name: "guide" } });
    const failed = await finishedQuery(suite.stack.resources.ark.queries, ns, "q2");
    expect(failed.status).toMatchObject({ phase: "error", message: expect.stringContaining("parameter city: query parameter 'destination' not found") });
  });
});
