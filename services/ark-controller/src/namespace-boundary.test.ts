import type { ReferenceGrant } from "@ark/kube";
import { memoryConfig, start as startMemoryService, type RunningMemoryService } from "@ark/postgres-memory";
import { loadConfig, MEMORY_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import { createTestDatabase, finishedQuery, type TestDatabase, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests, uniqueName } from "./test-support/manifests.js";
import { startTestMcpServer, type TestMcpServer } from "./test-support/mcp-test-server.js";

// A tenant (namespace `tenant`) points its query's references at another namespace (`owner`): refused unless `owner` grants it.
describe.skipIf(!testPostgres())("a namespace is a boundary", () => {
  const MEMORY_SECRET = "namespace-boundary-memory-secret-0123456789";
  const suite = useControllerSuite({ QUERY_REFERENCE_WAIT: "300ms", MEMORY_AUTH_SECRET: MEMORY_SECRET, ARK_EGRESS_ALLOW: "127.0.0.1" });
  let database: TestDatabase;
  let memoryService: RunningMemoryService;
  let mcp: TestMcpServer;

  beforeAll(async () => {
    database = await createTestDatabase({ label: "controller-ns-boundary" });
    memoryService = await startMemoryService(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: database.url, MEMORY_AUTH_SECRET: MEMORY_SECRET }));
    mcp = await startTestMcpServer({ tools: { lookup: "Looks a thing up" }, requiredHeader: { name: "x-owner-key", value: "owner-secret" } });
  });
  afterAll(async () => {
    await mcp?.stop();
    await memoryService?.stop();
    await database?.drop();
  });

  /** Two namespaces: `owner` holds a Model `shared` (its key in owner's Secret); `tenant` has a default Model of its own. */
  async function namespaces() {
    const owner = await freshNamespace(suite.stack);
    const tenant = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, owner, "owner-key");
    await createMockModel(suite.stack, owner, "shared", { secret: "owner-key" });
    await createApiKeySecret(suite.stack, tenant, "tenant-key");
    await createMockModel(suite.stack, tenant, "default", { secret: "tenant-key" });
    return { owner, tenant };
  }

  async function grant(namespace: string, from: ReferenceGrant["spec"]["from"], to: ReferenceGrant["spec"]["to"]): Promise<void> {
    await suite.stack.resources.ark.referenceGrants.create({ metadata: { name: uniqueName("grant"), namespace }, spec: { from, to } });
  }

  async function run(namespace: string, spec: Record<string, unknown>) {
    const name = uniqueName("q");
    await createQuery(suite.stack, namespace, name, spec);
    return finishedQuery(suite.stack.resources.ark.queries, namespace, name);
  }

  const notGranted = (kind: string, name: string, owner: string, from: string, tenant: string) => `${kind} "${name}" in namespace ${owner} is not granted to ${from} in namespace ${tenant}`;

  describe("an agent's model in another namespace", () => {
    it("is refused without a grant: the query ends error naming the namespace, and no model is called", async () => {
      answerQueries(suite.stack.mock, { text: "from the owner's model" });
      const { owner, tenant } = await namespaces();
      await createAgent(suite.stack, tenant, "borrower", { modelRef: { name: "shared", namespace: owner } });
      const query = await run(tenant, { input: "hi", target: { type: "agent", name: "borrower" } });
      expect(query.status?.phase).toBe("error");
      expect(query.status?.message).toContain(notGranted("Model", "shared", owner, "Agent", tenant));
      expect(queryRequests(suite.stack.mock)).toHaveLength(0);
    });

    it("is refused by a grant to another namespace, another kind or another name", async () => {
      const { owner, tenant } = await namespaces();
      await grant(owner, [{ kind: "Agent", namespace: "someone-else" }], [{ kind: "Model" }]);
      await grant(owner, [{ kind: "Query", namespace: tenant }], [{ kind: "Model" }]);
      await grant(owner, [{ kind: "Agent", namespace: tenant }], [{ kind: "Model", name: "other" }]);
      await createAgent(suite.stack, tenant, "borrower", { modelRef: { name: "shared", namespace: owner } });
      const query = await run(tenant, { input: "hi", target: { type: "agent", name: "borrower" } });
      expect(query.status).toMatchObject({ phase: "error", message: expect.stringContaining(notGranted("Model", "shared", owner, "Agent", tenant)) });
    });

    it("works once the owner grants it", async () => {
      answerQueries(suite.stack.mock, { text: "from the owner's model" });
      const { owner, tenant } = await namespaces();
      await grant(owner, [{ kind: "Agent", namespace: tenant }], [{ kind: "Model", name: "shared" }]);
      await createAgent(suite.stack, tenant, "borrower", { modelRef: { name: "shared", namespace: owner } });
      const query = await run(tenant, { input: "hi", target: { type: "agent", name: "borrower" } });
      expect(query.status).toMatchObject({ phase: "done", response: { content: "from the owner's model" } });
    });

    it("is refused for a team member too (the run refuses it, the reconciler checks only that members exist)", async () => {
      answerQueries(suite.stack.mock, { text: "from the owner's model" });
      const { owner, tenant } = await namespaces();
      await createAgent(suite.stack, tenant, "borrower", { modelRef: { name: "shared", namespace: owner } });
      await suite.stack.resources.ark.teams.create({
        metadata: { name: "crew", namespace: tenant },
        spec: { members: [{ name: "borrower", type: "agent" }], strategy: "sequential" },
      });
      const query = await run(tenant, { input: "hi", target: { type: "team", name: "crew" } });
      expect(query.status?.phase).toBe("error");
      expect(query.status?.message).toContain(notGranted("Model", "shared", owner, "Agent", tenant));
      expect(queryRequests(suite.stack.mock)).toHaveLength(0);

      await grant(owner, [{ kind: "Agent", namespace: tenant }], [{ kind: "Model" }]);
      const granted = await run(tenant, { input: "hi", target: { type: "team", name: "crew" } });
      expect(granted.status?.phase).toBe("done");
    });

    it("shows on the agent's condition before any query runs", async () => {
      const { owner, tenant } = await namespaces();
      await createAgent(suite.stack, tenant, "borrower", { modelRef: { name: "shared", namespace: owner } });
      const messages = async () => (await suite.stack.resources.ark.agents.get(tenant, "borrower"))?.status?.conditions?.map((c) => c.message ?? "").join(" ") ?? "";
      await expect.poll(messages, WITHIN_TEST_TIMEOUT).toContain(notGranted("Model", "shared", owner, "Agent", tenant));
    });
  });

  describe("a query's memory in another namespace", () => {
    async function ownerMemory(owner: string) {
      await suite.stack.resources.ark.memories.create({ metadata: { name: "chat", namespace: owner }, spec: { address: { value: memoryService.url } } });
    }

    it("is refused without a grant, without telling whether it exists", async () => {
      answerQueries(suite.stack.mock, { text: "ok" });
      const { owner, tenant } = await namespaces();
      await ownerMemory(owner);
      await createAgent(suite.stack, tenant, "helper");
      const present = await run(tenant, { input: "hi", target: { type: "agent", name: "helper" }, memory: { name: "chat", namespace: owner } });
      const absent = await run(tenant, { input: "hi", target: { type: "agent", name: "helper" }, memory: { name: "nothing", namespace: owner } });
      expect(present.status).toMatchObject({ phase: "error", message: expect.stringContaining(notGranted("Memory", "chat", owner, "Query", tenant)) });
      expect(absent.status).toMatchObject({ phase: "error", message: expect.stringContaining(notGranted("Memory", "nothing", owner, "Query", tenant)) });
    });

    it("works once the owner grants it: the exchange is stored in the owner's memory", async () => {
      answerQueries(suite.stack.mock, { text: "ok" });
      const { owner, tenant } = await namespaces();
      await ownerMemory(owner);
      await grant(owner, [{ kind: "Query", namespace: tenant }], [{ kind: "Memory", name: "chat" }]);
      await createAgent(suite.stack, tenant, "helper");
      const sessionId = uniqueName("session");
      const query = await run(tenant, { input: "hi", target: { type: "agent", name: "helper" }, memory: { name: "chat", namespace: owner }, sessionId });
      expect(query.status?.phase).toBe("done");
      // The owner's namespace token: the exchange lives in the owner's memory, under the owner's namespace.
      const headers = { authorization: `Bearer ${namespaceToken(MEMORY_SECRET, MEMORY_TOKEN_AUDIENCE, owner)}` };
      const stored = (await (await fetch(`${memoryService.url}/messages/${sessionId}`, { headers })).json()) as { messages: unknown[] };
      expect(stored.messages).toMatchObject([
        { role: "user", content: "hi" },
        { role: "assistant", content: "ok" },
      ]);
    });
  });

  describe("a tool's MCP server in another namespace (its headers carry the owner's Secret)", () => {
    async function setup() {
      const { owner, tenant } = await namespaces();
      await suite.stack.resources.core.secrets.create({ metadata: { name: "mcp-key", namespace: owner }, stringData: { key: "owner-secret" } });
      await suite.stack.resources.ark.mcpServers.create({
        metadata: { name: "lookups", namespace: owner },
        spec: { address: { value: mcp.url }, headers: [{ name: "x-owner-key", value: { valueFrom: { secretKeyRef: { name: "mcp-key", key: "key" } } } }] },
      });
      await suite.stack.resources.ark.tools.create({
        metadata: { name: "borrowed", namespace: tenant },
        spec: { type: "mcp", mcp: { mcpServerRef: { name: "lookups", namespace: owner }, toolName: "lookup" } },
      });
      await createAgent(suite.stack, tenant, "caller", { tools: [{ type: "custom", name: "borrowed" }] });
      answerQueries(suite.stack.mock, (request) => {
        const result = request.messages.find((m) => m.role === "tool");
        return result ? { text: `got ${result.content}` } : { toolCalls: [{ name: "borrowed", arguments: { text: "x" } }] };
      });
      return { owner, tenant };
    }

    it("is refused without a grant, as an agent's tool and as a query's tool target", async () => {
      const { owner, tenant } = await setup();
      const viaAgent = await run(tenant, { input: "look it up", target: { type: "agent", name: "caller" } });
      const direct = await run(tenant, { input: '{"text":"x"}', target: { type: "tool", name: "borrowed" } });
      for (const query of [viaAgent, direct]) {
        expect(query.status).toMatchObject({ phase: "error", message: expect.stringContaining(notGranted("MCPServer", "lookups", owner, "Tool", tenant)) });
      }
      expect(queryRequests(suite.stack.mock)).toHaveLength(0);
    });

    it("works once the owner grants it", async () => {
      const { owner, tenant } = await setup();
      await grant(owner, [{ kind: "Tool", namespace: tenant }], [{ kind: "MCPServer", name: "lookups" }]);
      const query = await run(tenant, { input: "look it up", target: { type: "agent", name: "caller" } });
      expect(query.status).toMatchObject({ phase: "done", response: { content: expect.stringContaining("lookup: x") } });
    });
  });

  it("a parameter's secretKeyRef cannot name another namespace: the Secret is looked up in the query's own", async () => {
    answerQueries(suite.stack.mock, (request) => ({ text: `echo ${request.lastUserText}` }));
    const { owner, tenant } = await namespaces();
    const parameters = [{ name: "k", valueFrom: { secretKeyRef: { name: "owner-key", key: "token", namespace: owner } } }];
    const query = await run(tenant, { input: "key {{.k}}", parameters, target: { type: "model", name: "default" } });
    expect(query.status?.phase).toBe("error");
    expect(query.status?.message).toContain(`secret ${tenant}/owner-key: secrets "owner-key" not found`);
    expect(JSON.stringify(query.status)).not.toContain("sk-test");
    expect(queryRequests(suite.stack.mock)).toHaveLength(0);
  });
});
