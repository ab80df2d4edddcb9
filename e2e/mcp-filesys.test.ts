import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { controllerConfig, start as startController } from "@ark/ark-controller";
import { filesysConfig, start as startFilesys, type RunningFilesysServer } from "@ark/filesys-mcp";
import type { ArkClient, Query } from "@ark/kube";
import { loadConfig } from "@ark/service-kit";
import { TEST_LOG_LEVEL as LOG_LEVEL, useArkStack } from "@ark/test-stack";
import { type ChatMessage, type MockChatRequest, type MockModel, type MockStaticReply } from "@ark/testing";
import { finishedQuery, testPostgres } from "@ark/testing/vitest";
import { beforeAll, describe, expect, it, vi } from "vitest";

// An agent with filesys-mcp tools writes a file and reads it back in answer to a query: the real ark-apiserver,
// ark-controller (reconciler and worker, in-process bus) and filesys-mcp, with the mock model scripting the calls.
const NAMESPACE = "default";
const SERVER = "files";
const FILE = "notes/answer.txt";
const CONTENT = "ARK wrote this through filesys-mcp.";

describe.skipIf(!testPostgres())("agent with filesys-mcp tools (e2e)", () => {
  const suite = useArkStack({ label: "e2e-mcp" });
  let root: string;
  let filesys: RunningFilesysServer;
  let model: MockModel;
  let ark: ArkClient;

  beforeAll(async () => {
    const { stack } = suite;
    root = join(stack.arkHome, "files");
    ark = stack.ark;
    filesys = await startFilesys(loadConfig(filesysConfig, { PORT: "0", LOG_LEVEL, ARK_HOME: stack.arkHome, FILESYS_ROOT: root }));
    stack.onStop(() => filesys.stop());
    // Tenant MCP servers may not be on 127.0.0.1 unless allowed: exactly filesys-mcp's port, as `ark dev` does.
    const ARK_EGRESS_ALLOW = new URL(filesys.mcpUrl).host;
    const controller = await startController(loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL, KUBECONFIG: stack.kubeconfigPath, LEADER_ELECTION: "false", ARK_EGRESS_ALLOW }), {
      kubeConfig: stack.kubeConfig,
      bus: stack.bus,
    });
    stack.onStop(() => controller.stop());
    model = stack.mock;
    model.setDefault(fileConversation);
  });

  it("writes the file under the root, reads it back, and answers with its content", { timeout: 120_000 }, async () => {
    await ark.mcpServers.create({ metadata: { name: SERVER, namespace: NAMESPACE }, spec: { address: { value: filesys.mcpUrl }, transport: "http" } });
    // The MCPServer reconciler discovers filesys-mcp's tools as Tools named <server>-<tool> (underscores become dashes).
    const discovered = await vi.waitFor(
      async () => {
        const server = await ark.mcpServers.get(NAMESPACE, SERVER);
        const tools = (await ark.tools.list(NAMESPACE, { labelSelector: `mcp/server=${SERVER}` })).length;
        const ready = server?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
        if (!ready || tools !== server.status?.toolCount) throw new Error(`the MCPServer's tools were not discovered (${tools} Tools so far, status ${JSON.stringify(server?.status)})`);
        return tools;
      },
      { timeout: 60_000, interval: 100 },
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

    const query = await finishedQuery(ark.queries, NAMESPACE, "write-and-read", { timeout: 60_000 });
    expect(query.status).toMatchObject({ phase: "done", responses: [{ target: { type: "agent", name: "scribe" }, content: `The file says: ${CONTENT}` }] });
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
