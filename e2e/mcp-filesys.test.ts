import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiServerConfig, start as startApiServer, type RunningApiServer } from "@ark/ark-apiserver";
import { controllerConfig, start as startController, type RunningController } from "@ark/ark-controller";
import { MemoryQueryBus } from "@ark/bus";
import { filesysConfig, start as startFilesys, type RunningFilesysServer } from "@ark/filesys-mcp";
import { createArkClient, type ArkClient, type Query } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { startMockModel, waitFor, type ChatMessage, type MockChatRequest, type MockModel, type MockStaticReply } from "@ark/testing";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import type { QueryEvent } from "@ark/types";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// An agent with filesys-mcp tools writes a file and reads it back in answer to a query: the real ark-apiserver,
// ark-controller (reconciler and worker, in-process bus) and filesys-mcp, with the mock model scripting the calls.
const NAMESPACE = "default";
const SERVER = "files";
const FILE = "notes/answer.txt";
const CONTENT = "ARK wrote this through filesys-mcp.";
const LOG_LEVEL = process.env.ARK_TEST_LOG_LEVEL ?? "warn";

describe.skipIf(!testPostgres())("agent with filesys-mcp tools (e2e)", () => {
  let home: string;
  let root: string;
  let database: TestDatabase;
  let api: RunningApiServer;
  let bus: MemoryQueryBus<QueryEvent>;
  let controller: RunningController;
  let filesys: RunningFilesysServer;
  let model: MockModel;
  let ark: ArkClient;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "ark-e2e-mcp-"));
    root = join(home, "files");
    database = await createTestDatabase({ label: "e2e-mcp" });
    api = await startApiServer(loadConfig(apiServerConfig, { PORT: "0", LOG_LEVEL, ARK_HOME: home, DATABASE_URL: database.url, DATABASE_POOL_SIZE: "5" }));
    const kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
    ark = createArkClient(kc);
    bus = new MemoryQueryBus<QueryEvent>();
    filesys = await startFilesys(loadConfig(filesysConfig, { PORT: "0", LOG_LEVEL, ARK_HOME: home, FILESYS_ROOT: root }));
    // Tenant MCP servers may not be on 127.0.0.1 unless allowed: exactly filesys-mcp's port, as `ark dev` does.
    const ARK_EGRESS_ALLOW = new URL(filesys.mcpUrl).host;
    controller = await startController(
      loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL, KUBECONFIG: api.kubeconfigPath, LEADER_ELECTION: "false", ARK_EGRESS_ALLOW }),
      { kubeConfig: kc, bus },
    );
    model = await startMockModel();
    model.setDefault(fileConversation);
  });

  afterAll(async () => {
    await controller?.stop();
    await bus?.close();
    await filesys?.stop();
    await model?.close();
    await api?.stop();
    await database?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it("writes the file under the root, reads it back, and answers with its content", { timeout: 120_000 }, async () => {
    await ark.mcpServers.create({ metadata: { name: SERVER, namespace: NAMESPACE }, spec: { address: { value: filesys.mcpUrl }, transport: "http" } });
    // The MCPServer reconciler discovers filesys-mcp's tools as Tools named <server>-<tool> (underscores become dashes).
    let discovered = 0;
    await waitFor(
      async () => {
        const server = await ark.mcpServers.get(NAMESPACE, SERVER);
        discovered = (await ark.tools.list(NAMESPACE, { labelSelector: `mcp/server=${SERVER}` })).length;
        return server?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true && discovered === server.status?.toolCount;
      },
      60_000,
      () => `the MCPServer's tools were not discovered (${discovered} Tools so far)`,
    );
    expect(discovered).toBeGreaterThanOrEqual(13);
    const writeTool = await ark.tools.get(NAMESPACE, `${SERVER}-write-file`);
    expect(writeTool?.spec).toMatchObject({ type: "mcp", mcp: { mcpServerRef: { name: SERVER }, toolName: "write_file" } });

    await ark.models.create({
      metadata: { name: "mock", namespace: NAMESPACE },
      spec: { type: "openai", model: { value: "mock-model" }, config: { openai: { baseUrl: { value: model.url }, apiKey: { value: "not-a-real-key" } } } },
    });
    await ark.agents.create({
      metadata: { name: "scribe", namespace: NAMESPACE },
      spec: {
        prompt: "You keep notes in files.",
        modelRef: { name: "mock" },
        tools: [
          { type: "custom", name: `${SERVER}-write-file` },
          { type: "custom", name: `${SERVER}-read-file` },
        ],
      },
    });
    await ark.queries.create({
      metadata: { name: "write-and-read", namespace: NAMESPACE },
      spec: { input: `Write "${CONTENT}" to ${FILE}, then read it back.`, target: { type: "agent", name: "scribe" } },
    } as Query);

    let query: Query | undefined;
    await waitFor(
      async () => ["done", "error", "canceled"].includes((query = await ark.queries.get(NAMESPACE, "write-and-read"))?.status?.phase ?? ""),
      60_000,
      () => `the query did not finish: ${JSON.stringify(query?.status)}`,
    );
    expect(query?.status).toMatchObject({ phase: "done", responses: [{ target: { type: "agent", name: "scribe" }, content: `The file says: ${CONTENT}` }] });
    expect(await readFile(join(root, FILE), "utf8")).toBe(CONTENT);

    // What the model was told after each call: the write's confirmation, then the file's content from read_file.
    const conversation = queryConversations(model).at(-1) ?? [];
    const toolResults = conversation.filter((m) => m.role === "tool").map((m) => textOf(m.content));
    expect(toolResults).toEqual([`Created ${FILE} (${Buffer.byteLength(CONTENT)} bytes)`, CONTENT]);
    const offered = (queryRequestBodies(model).at(-1)?.tools ?? []) as { function: { name: string } }[];
    expect(offered.map((t) => t.function.name).sort()).toEqual([`${SERVER}-read-file`, `${SERVER}-write-file`]);
  });
});

/** The model's side: write the file, read it, then answer with what read_file returned. Probes ("Hello") get a greeting. */
function fileConversation(request: MockChatRequest): MockStaticReply {
  if (request.lastUserText === "Hello" && request.messages.length <= 2) return "Hello!";
  const results = request.messages.filter((m) => m.role === "tool");
  const tools = ((request.body.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);
  const named = (suffix: string) => tools.find((name) => name.endsWith(suffix)) ?? `missing-${suffix}`;
  if (results.length === 0) return { toolCalls: [{ name: named("write-file"), arguments: { path: FILE, content: CONTENT } }] };
  if (results.length === 1) return { toolCalls: [{ name: named("read-file"), arguments: { path: FILE } }] };
  return `The file says: ${textOf(results.at(-1)?.content)}`;
}

function queryRequestBodies(model: MockModel) {
  return model.requests
    .filter((r) => r.path.endsWith("/chat/completions"))
    .map((r) => r.body as { messages?: ChatMessage[]; tools?: unknown[] })
    .filter((body) => (body.tools ?? []).length > 0);
}

function queryConversations(model: MockModel): ChatMessage[][] {
  return queryRequestBodies(model).map((body) => body.messages ?? []);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? "").join("");
  return JSON.stringify(content);
}
