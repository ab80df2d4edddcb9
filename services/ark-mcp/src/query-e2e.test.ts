import { controllerConfig, start as startController, type RunningController } from "@ark/ark-controller";
import { loadConfig } from "@ark/service-kit";
import { startMockModel, type MockModel } from "@ark/testing";
import { testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { CallToolResultSchema, type CallToolResult, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const json = (result: CallToolResult) => JSON.parse((result.content[0] as { text: string }).text) as { name: string; status: string | null }[];
import { freshNamespace, startMcpStack, type McpStack } from "./test-support/stack.js";

describe.skipIf(!testPostgres())("ark-mcp query end to end (ark-controller + mock model)", () => {
  let stack: McpStack;
  let controller: RunningController;
  let mock: MockModel;

  beforeAll(async () => {
    stack = await startMcpStack();
    mock = await startMockModel();
    controller = await startController(
      loadConfig(controllerConfig, {
        PORT: "0",
        LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn",
        KUBECONFIG: stack.api.kubeconfigPath,
        LEADER_ELECTION: "false",
        QUERY_REFERENCE_WAIT: "1500ms",
      }),
      { bus: stack.bus, kubeConfig: stack.kc },
    );
  });
  afterAll(async () => {
    await controller?.stop();
    await mock?.close();
    await stack?.close();
  });

  it("list_agents and list_teams show the readiness the controller writes (Available)", async () => {
    const ns = await freshNamespace(stack);
    await stack.ark.agents.create({ metadata: { name: "orphan", namespace: ns }, spec: { prompt: "No model.", modelRef: { name: "missing" } } });
    await stack.ark.teams.create({
      metadata: { name: "crew", namespace: ns },
      spec: {
        strategy: "sequential",
        members: [
          { type: "agent", name: "orphan" },
          { type: "agent", name: "ghost" },
        ],
      },
    });
    const client = await stack.connect();
    const statusOf = async (tool: string, name: string) => json((await client.callTool({ name: tool, arguments: { namespace: ns } })) as CallToolResult).find((item) => item.name === name)?.status;
    await expect.poll(() => statusOf("list_agents", "orphan"), { timeout: 15_000 }).toBe("ReferenceNotFound");
    await expect.poll(() => statusOf("list_teams", "crew"), { timeout: 15_000 }).toBe("ReferenceNotFound");
  });

  it("runs a real query: the controller and worker answer through the bus, progress arrives, the Query ends done", async () => {
    mock.setDefault((request) => (request.lastUserText === "Hello" ? "Hello!" : "It is sunny in Paris."));
    const ns = await freshNamespace(stack);
    await stack.core.secrets.create({ metadata: { name: "key", namespace: ns }, stringData: { token: "sk-test" } });
    await stack.ark.models.create({
      metadata: { name: "default", namespace: ns },
      spec: { type: "openai", model: { value: "mock-model" }, config: { openai: { baseUrl: { value: mock.url }, apiKey: { valueFrom: { secretKeyRef: { name: "key", key: "token" } } } } } },
    });
    await stack.ark.agents.create({ metadata: { name: "forecaster", namespace: ns }, spec: { prompt: "You forecast." } });
    const client = await stack.connect();
    const progress: Progress[] = [];
    const result = (await client.callTool({ name: "query", arguments: { target: "agent/forecaster", input: "Weather in Paris?", namespace: ns } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p),
    })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ success: true, phase: "done", response: "It is sunny in Paris.", target: "agent/forecaster" });
    const messages = progress.map((p) => p.message);
    expect(messages[0]).toMatch(/^query started/);
    expect(messages).toContain("agent forecaster started");
    expect(messages.at(-1)).toBe("query done");
    const name = String(result.structuredContent?.["query_name"]);
    await expect.poll(async () => (await stack.ark.queries.get(ns, name))?.status?.phase, { ...WITHIN_TEST_TIMEOUT, interval: 20 }).toBe("done");
    const got = (await client.callTool({ name: "get_query", arguments: { name, namespace: ns } })) as CallToolResult;
    expect(got.structuredContent).toMatchObject({ phase: "done", response: "It is sunny in Paris.", targets: ["agent/forecaster"] });
  });
});
