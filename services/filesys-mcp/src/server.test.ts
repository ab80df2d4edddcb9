import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningFilesysServer } from "./server.js";
import { rawRequest } from "./test-support/http.js";
import { connect, startServer } from "./test-support/server.js";

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

describe("filesys-mcp over HTTP", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let running: RunningFilesysServer;
  beforeAll(async () => {
    server = await startServer();
    running = server.running;
  });
  afterAll(() => server.cleanup());

  it("serves a Streamable HTTP session: initialize, list tools, call tools, errors, DELETE", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(running.mcpUrl));
    const { client, call } = await connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: "filesys-mcp" });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "copy_file",
      "create_directory",
      "delete_file",
      "edit_file",
      "get_file_info",
      "list_allowed_directories",
      "list_directory",
      "move_file",
      "read_file",
      "read_multiple_files",
      "search_files",
      "tree",
      "write_file",
    ]);
    expect(await call("write_file", { path: "notes/hello.txt", content: "hi there" })).toEqual({ isError: false, text: "Created notes/hello.txt (8 bytes)" });
    expect(await call("read_file", { path: "notes/hello.txt" })).toEqual({ isError: false, text: "hi there" });
    expect(readFileSync(join(server.root, "notes/hello.txt"), "utf8")).toBe("hi there");
    expect(await call("read_file", { path: "../etc/passwd" })).toEqual({ isError: true, text: "path escapes the allowed root: ../etc/passwd" });
    expect((await call("no_such_tool")).isError).toBe(true);
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    const after = await rawRequest(running.mcpUrl, { headers: { ...MCP_HEADERS, "mcp-session-id": sessionId }, body: INITIALIZE });
    expect(after.status).toBe(404);
    await client.close();
  });

  it("declares honest annotations on every tool", async () => {
    const { client } = await connect(new StreamableHTTPClientTransport(new URL(`${running.url}/`)));
    const { tools } = await client.listTools();
    const hints = Object.fromEntries(tools.map((t) => [t.name, [t.annotations?.readOnlyHint, t.annotations?.destructiveHint, t.annotations?.openWorldHint]]));
    expect(hints).toEqual({
      read_file: [true, undefined, false],
      read_multiple_files: [true, undefined, false],
      list_directory: [true, undefined, false],
      tree: [true, undefined, false],
      search_files: [true, undefined, false],
      get_file_info: [true, undefined, false],
      list_allowed_directories: [true, undefined, false],
      write_file: [false, true, false],
      edit_file: [false, true, false],
      move_file: [false, true, false],
      delete_file: [false, true, false],
      create_directory: [false, false, false],
      copy_file: [false, false, false],
    });
    for (const tool of tools) expect(tool.inputSchema.type).toBe("object");
    await client.close();
  });

  it.each(["/sse", "/filesys/sse"])("serves older clients over HTTP+SSE at %s", async (path) => {
    const { client, call } = await connect(new SSEClientTransport(new URL(`${running.url}${path}`)));
    expect((await client.listTools()).tools).toHaveLength(13);
    expect(await call("write_file", { path: `sse${path.replaceAll("/", "-")}.txt`, content: "over sse" })).toMatchObject({ isError: false });
    expect(await call("list_directory", { path: "." })).toMatchObject({ text: expect.stringContaining("[FILE] sse") });
    expect(await call("read_file", { path: "/etc/passwd" })).toMatchObject({ isError: true, text: expect.stringMatching(/absolute path/) });
    await client.close();
  });

  it("refuses requests with a foreign Host or Origin (DNS rebinding)", async () => {
    const evilHost = await rawRequest(running.mcpUrl, { headers: { ...MCP_HEADERS, host: "evil.example" }, body: INITIALIZE });
    expect(evilHost.status).toBe(403);
    expect(evilHost.body).toMatch(/Host not allowed: evil.example/);
    const evilSse = await rawRequest(`${running.url}/sse`, { method: "GET", headers: { host: "evil.example:9090" } });
    expect(evilSse.status).toBe(403);
    const evilOrigin = await rawRequest(running.mcpUrl, { headers: { ...MCP_HEADERS, origin: "http://evil.example" }, body: INITIALIZE });
    expect(evilOrigin.status).toBe(403);
    expect(evilOrigin.body).toMatch(/Origin not allowed/);
    const localOrigin = await rawRequest(running.mcpUrl, { headers: { ...MCP_HEADERS, origin: "http://localhost:3000" }, body: INITIALIZE });
    expect(localOrigin.status).toBe(200);
    // Cluster names pass once ALLOWED_HOSTS lists them (the chart and compose do); by default only localhost does.
    const serviceName = await rawRequest(running.mcpUrl, { headers: { ...MCP_HEADERS, host: "filesys-mcp.ark.svc.cluster.local:9090" }, body: INITIALIZE });
    expect(serviceName.status).toBe(403);
    const localhost = await rawRequest(running.mcpUrl, { headers: { ...MCP_HEADERS, host: "localhost:9090" }, body: INITIALIZE });
    expect(localhost.status).toBe(200);
    const health = await rawRequest(`${running.url}/health`, { method: "GET", headers: { host: "evil.example" } });
    expect(health.status).toBe(200);
  });

  it("answers requests without a session clearly", async () => {
    const noSession = await rawRequest(running.mcpUrl, { headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }) });
    expect(noSession.status).toBe(400);
    expect(noSession.body).toMatch(/initialize/);
    const unknownSse = await rawRequest(`${running.url}/messages?sessionId=nope`, { headers: { "content-type": "application/json" }, body: "{}" });
    expect(unknownSse.status).toBe(404);
  });
});

describe("per-session workspaces", () => {
  it("give each session its own subfolder that the other cannot reach", async () => {
    const server = await startServer({ FILESYS_SESSION_WORKSPACES: "true" });
    try {
      const a = new StreamableHTTPClientTransport(new URL(server.running.mcpUrl));
      const b = new SSEClientTransport(new URL(`${server.running.url}/sse`));
      const [sessionA, sessionB] = [await connect(a), await connect(b)];
      expect(await sessionA.call("write_file", { path: "note.txt", content: "from A" })).toMatchObject({ isError: false });
      expect(await sessionB.call("write_file", { path: "note.txt", content: "from B" })).toMatchObject({ isError: false });
      expect(await sessionA.call("read_file", { path: "note.txt" })).toEqual({ isError: false, text: "from A" });
      expect(await sessionB.call("read_file", { path: "note.txt" })).toEqual({ isError: false, text: "from B" });
      const folders = readdirSync(server.root).sort();
      expect(folders).toHaveLength(2);
      expect(folders).toContain(a.sessionId);
      const otherFolder = folders.find((f) => f !== a.sessionId)!;
      expect(await sessionA.call("read_file", { path: `../${otherFolder}/note.txt` })).toMatchObject({ isError: true, text: expect.stringMatching(/escapes/) });
      expect(await sessionA.call("list_directory", { path: "." })).toEqual({ isError: false, text: "[FILE] note.txt (6 bytes)" });
      await Promise.all([sessionA.client.close(), sessionB.client.close()]);
    } finally {
      await server.cleanup();
    }
  });
});

describe("idle Streamable HTTP sessions", () => {
  it("are closed after FILESYS_SESSION_IDLE_TIMEOUT", async () => {
    const server = await startServer({ FILESYS_SESSION_IDLE_TIMEOUT: "100ms" });
    try {
      const transport = new StreamableHTTPClientTransport(new URL(server.running.mcpUrl));
      const { client } = await connect(transport);
      const headers = { ...MCP_HEADERS, "mcp-session-id": transport.sessionId! };
      const ping = JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" });
      await vi.waitFor(async () => expect((await rawRequest(server.running.mcpUrl, { headers, body: ping })).status).toBe(404), {
        // Each probe counts as use, so probe far less often than the idle timeout.
        timeout: 15_000,
        interval: 1_000,
      });
      await client.close();
    } finally {
      await server.cleanup();
    }
  });
});
