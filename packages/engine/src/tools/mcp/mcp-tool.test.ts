import { afterEach, describe, expect, it } from "vitest";
import { isEngineError } from "../../errors.js";
import { McpClientPool, type McpClientPoolOptions } from "./pool.js";
import { startTestMcpServer, type TestMcpServer } from "./test-mcp-server.js";
import { mcpTool } from "./tool.js";
import type { McpServerConnection } from "./connection.js";

const context = { toolCallId: "c1", agent: "default/agent" };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(transport: "http" | "sse" = "http", port?: number): Promise<TestMcpServer> {
  const started = await startTestMcpServer(transport, port);
  cleanups.push(() => started.stop());
  return started;
}

function pool(options: McpClientPoolOptions = {}): McpClientPool {
  const created = new McpClientPool({ connect: { backoffMs: 50 }, ...options });
  cleanups.push(() => created.closeAll());
  return created;
}

function toolFor(p: McpClientPool, connection: McpServerConnection, toolName: string, extra: { timeout?: string; name?: string } = {}) {
  const name = extra.name ?? `srv-${toolName}`;
  return mcpTool({
    pool: p,
    server: connection,
    timeout: extra.timeout,
    tool: { metadata: { name }, spec: { description: `calls ${toolName}`, inputSchema: { type: "object" }, mcp: { mcpServerRef: { name: "srv" }, toolName } } },
  });
}

describe("mcpTool over Streamable HTTP", () => {
  it("is defined by the Tool CR and answers with the tool's text", async () => {
    const mcp = await server();
    const tool = toolFor(pool(), { url: mcp.url }, "echo", { name: "srv-echo" });
    expect(tool.kind).toBe("mcp");
    expect(tool.definition).toEqual({ type: "function", function: { name: "srv-echo", description: "calls echo", parameters: { type: "object" } } });
    expect(await tool.execute('{"text":"hi"}', context)).toEqual({ content: "echo: hi" });
  });

  it("falls back to the annotation, then Custom tool, for the description; default parameters", () => {
    const base = { pool: new McpClientPool(), server: { url: "http://127.0.0.1:1/mcp" } };
    const spec = { mcp: { mcpServerRef: { name: "s" }, toolName: "t" } };
    expect(mcpTool({ ...base, tool: { metadata: { name: "a", annotations: { description: "from annotation" } }, spec } }).definition.function.description).toBe("from annotation");
    const plain = mcpTool({ ...base, tool: { metadata: { name: "b" }, spec } }).definition.function;
    expect(plain.description).toBe("Custom tool: b");
    expect(plain.parameters).toEqual({ type: "object", properties: {} });
  });

  it("sends the server's headers", async () => {
    const mcp = await server();
    const tool = toolFor(pool(), { url: mcp.url, headers: { Authorization: "Bearer s3cret" } }, "whoami");
    expect(await tool.execute("", context)).toEqual({ content: "Bearer s3cret" });
  });

  it("returns text and describes non-text content as JSON (binary payloads by size)", async () => {
    const mcp = await server();
    const { content } = await toolFor(pool(), { url: mcp.url }, "picture").execute("{}", context);
    const [text, ...rest] = content.split("\n");
    expect(text).toBe("a red dot");
    const joined = rest.join("\n");
    expect(joined).toContain('"type": "image"');
    expect(joined).toContain('"mimeType": "image/png"');
    expect(joined).toMatch(/"data": "<\d+ bytes, base64, omitted>"/);
    expect(joined).toContain('"uri": "file:///dot.png"');
    expect(joined).toContain('"text": "a note"');
  });

  it("turns isError into a tool error carrying the server's text", async () => {
    const mcp = await server();
    const failing = toolFor(pool(), { url: mcp.url }, "fail").execute("{}", context);
    await expect(failing).rejects.toSatisfy((e: unknown) => isEngineError(e, "TOOL_FAILED") && (e as Error).message === "boom: the input was rejected");
  });

  it("rejects invalid JSON arguments without calling the server", async () => {
    const mcp = await server();
    const tool = toolFor(pool(), { url: mcp.url }, "echo");
    await expect(tool.execute("{not json", context)).rejects.toThrow(/arguments are not valid JSON/);
    await expect(tool.execute("[1]", context)).rejects.toThrow(/must be a JSON object/);
    expect(mcp.initializeCount).toBe(0);
  });

  it("reports an unknown MCP tool as a tool error", async () => {
    const mcp = await server();
    await expect(toolFor(pool(), { url: mcp.url }, "nope").execute("{}", context)).rejects.toThrow(/nope/);
  });

  it("cancels a call when the query's signal aborts, and tells the server", async () => {
    const mcp = await server();
    const p = pool();
    await toolFor(p, { url: mcp.url }, "echo").execute('{"text":"warm up"}', context);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const call = toolFor(p, { url: mcp.url }, "slow").execute('{"ms":30000}', { ...context, signal: controller.signal });
    await expect(call).rejects.toSatisfy((e: unknown) => isEngineError(e, "CANCELED"));
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => mcp.canceledCalls).toBe(1);
  });

  it("times out after the MCPServer's timeout", async () => {
    const mcp = await server();
    const call = toolFor(pool(), { url: mcp.url }, "slow", { timeout: "200ms" }).execute('{"ms":5000}', context);
    await expect(call).rejects.toSatisfy((e: unknown) => isEngineError(e, "TIMEOUT") && /timed out after 0.2s/.test((e as Error).message));
  });

  it("shares one client between tools of one server (one initialize), and separates header sets", async () => {
    const mcp = await server();
    const p = pool();
    const echo = toolFor(p, { url: mcp.url }, "echo");
    const whoami = toolFor(p, { url: mcp.url }, "whoami");
    await Promise.all([echo.execute('{"text":"a"}', context), whoami.execute("", context), echo.execute('{"text":"b"}', context)]);
    await echo.execute('{"text":"c"}', context);
    expect(mcp.initializeCount).toBe(1);
    expect(p.size).toBe(1);
    await toolFor(p, { url: mcp.url, headers: { Authorization: "Bearer other" } }, "whoami").execute("", context);
    expect(mcp.initializeCount).toBe(2);
    expect(p.size).toBe(2);
  });

  it("reconnects once after the server restarts (its session is gone)", async () => {
    const first = await startTestMcpServer("http");
    const p = pool();
    const tool = toolFor(p, { url: first.url }, "echo");
    expect(await tool.execute('{"text":"before"}', context)).toEqual({ content: "echo: before" });
    await first.stop();
    const second = await server("http", first.port);
    expect(await tool.execute('{"text":"after"}', context)).toEqual({ content: "echo: after" });
    expect(second.initializeCount).toBe(1);
  });

  it("fails with a clear error when the server stays down", async () => {
    const first = await startTestMcpServer("http");
    const tool = toolFor(pool({ connect: { attempts: 2, backoffMs: 20 } }), { url: first.url }, "echo");
    await tool.execute('{"text":"up"}', context);
    await first.stop();
    await expect(tool.execute('{"text":"down"}', context)).rejects.toSatisfy((e: unknown) => isEngineError(e, "TOOL_FAILED") && /connect failed after 2 attempt/.test((e as Error).message));
  });

  it("retries the first connect with backoff while the server is starting", async () => {
    const probe = await startTestMcpServer("http");
    await probe.stop();
    const tool = toolFor(pool({ connect: { attempts: 8, backoffMs: 100 } }), { url: probe.url }, "echo");
    const call = tool.execute('{"text":"late"}', context);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const late = await server("http", probe.port);
    expect(await call).toEqual({ content: "echo: late" });
    expect(late.initializeCount).toBe(1);
  });

  it("does not retry a connect error that will not heal (404)", async () => {
    const mcp = await server();
    const tool = toolFor(pool({ connect: { attempts: 5, backoffMs: 60_000 } }), { url: mcp.url.replace("/mcp", "/wrong"), headers: { "mcp-session-id": "x" } }, "echo");
    await expect(tool.execute("{}", context)).rejects.toThrow(/connect failed after 1 attempt/);
  });

  it("closes idle clients and reconnects on the next call; closeAll ends the pool", async () => {
    const mcp = await server();
    const p = pool({ idleMs: 100 });
    const tool = toolFor(p, { url: mcp.url }, "echo");
    await tool.execute('{"text":"1"}', context);
    await expect.poll(() => p.size).toBe(0);
    await tool.execute('{"text":"2"}', context);
    expect(mcp.initializeCount).toBe(2);
    await p.closeAll();
    expect(p.size).toBe(0);
    await expect(tool.execute('{"text":"3"}', context)).rejects.toThrow(/pool is closed/);
  });
});

describe("mcpTool over SSE", () => {
  it("calls tools with headers, shares the client, and maps isError", async () => {
    const mcp = await server("sse");
    const p = pool();
    const connection = { url: mcp.url, transport: "sse" as const, headers: { Authorization: "Bearer sse" } };
    expect(await toolFor(p, connection, "echo").execute('{"text":"over sse"}', context)).toEqual({ content: "echo: over sse" });
    expect(await toolFor(p, connection, "whoami").execute("{}", context)).toEqual({ content: "Bearer sse" });
    await expect(toolFor(p, connection, "fail").execute("{}", context)).rejects.toThrow("boom: the input was rejected");
    expect(mcp.initializeCount).toBe(1);
  });

  it("reconnects after the SSE server restarts", async () => {
    const first = await startTestMcpServer("sse");
    const tool = toolFor(pool(), { url: first.url, transport: "sse" }, "echo");
    await tool.execute('{"text":"before"}', context);
    await first.stop();
    const second = await server("sse", first.port);
    expect(await tool.execute('{"text":"after"}', context)).toEqual({ content: "echo: after" });
    expect(second.initializeCount).toBe(1);
  });
});
