import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAIProvider, McpClientPool, mcpTool, runAgent, ToolRegistry, type McpServerConnection } from "@ark/engine";
import { loadConfig } from "@ark/service-kit";
import { startMockModel, type MockChatRequest, type MockModel } from "@ark/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesysConfig, start, type RunningFilesysServer } from "./server.js";

// What ARK's MCPServer discovery does: one Tool CR per MCP tool, named `<server>-<tool with _ → ->`.
async function discoverTools(url: string, pool: McpClientPool, server: McpServerConnection) {
  const client = new Client({ name: "discovery", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const { tools } = await client.listTools();
  await client.close();
  return new ToolRegistry(
    tools.map((tool) =>
      mcpTool({
        pool,
        server,
        tool: {
          metadata: { name: `filesys-${tool.name.toLowerCase().replaceAll("_", "-")}` },
          spec: { description: tool.description ?? "", inputSchema: tool.inputSchema, mcp: { mcpServerRef: { name: "filesys" }, toolName: tool.name } },
        },
      }),
    ),
  );
}

function lastToolResult(request: MockChatRequest): string {
  const tool = [...request.messages].reverse().find((m) => m.role === "tool");
  return typeof tool?.content === "string" ? tool.content : "";
}

describe("an ARK agent with filesys-mcp tools", () => {
  let dir: string;
  let running: RunningFilesysServer;
  let model: MockModel;
  const pools: McpClientPool[] = [];

  beforeAll(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), "filesys-mcp-agent-")));
    running = await start(loadConfig(filesysConfig, { PORT: "0", LOG_LEVEL: "silent", FILESYS_ROOT: join(dir, "root") }));
    model = await startMockModel();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.closeAll()));
    await model?.close();
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["Streamable HTTP at /mcp", "http", "/mcp"],
    ["SSE at upstream's /filesys/sse", "sse", "/filesys/sse"],
  ] as const)("writes and reads a file in answer to a query (%s)", async (_label, transport, path) => {
    const pool = new McpClientPool();
    pools.push(pool);
    const server: McpServerConnection = { url: `${running.url}${path}`, transport };
    const tools = await discoverTools(running.mcpUrl, pool, server);
    expect(tools.definitions().map((d) => d.function.name)).toContain("filesys-write-file");
    const file = `answers/${transport}.txt`;
    model.script(
      { toolCalls: [{ name: "filesys-write-file", arguments: { path: file, content: "The capital of France is Paris." } }] },
      { toolCalls: [{ name: "filesys-read-file", arguments: { path: file } }] },
      (request: MockChatRequest) => ({ text: `The file says: ${lastToolResult(request)}` }),
    );
    const result = await runAgent({
      agent: { namespace: "default", name: "file-keeper", prompt: "You keep notes in files." },
      provider: createOpenAIProvider({ type: "openai", model: "mock-model", baseUrl: model.url, apiKey: "sk-test" }),
      tools,
      input: "Write the capital of France to a file, then read it back to me.",
    });
    expect(result.content).toBe("The file says: The capital of France is Paris.");
    expect(readFileSync(join(running.rootReal, file), "utf8")).toBe("The capital of France is Paris.");
    expect(result.messages.filter((m) => m.role === "tool").map((m) => m.content)).toEqual([`Created ${file} (31 bytes)`, "The capital of France is Paris."]);
  });
});
