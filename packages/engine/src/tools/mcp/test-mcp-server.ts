import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/** A real MCP server for the pool and tool tests (not part of the engine's API). */
export interface TestMcpServer {
  url: string;
  port: number;
  /** `initialize` requests received. */
  initializeCount: number;
  /** `slow` calls that saw the client's cancellation. */
  canceledCalls: number;
  stop(): Promise<void>;
}

const PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

function buildServer(state: TestMcpServer): McpServer {
  const server = new McpServer({ name: "test-mcp", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes text", inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: "text", text: `echo: ${text}` }],
  }));
  server.registerTool("whoami", { description: "Returns the Authorization header it got" }, async (extra) => ({
    content: [{ type: "text", text: String(extra.requestInfo?.headers["authorization"] ?? "anonymous") }],
  }));
  server.registerTool("picture", { description: "Text and non-text content" }, async () => ({
    content: [
      { type: "text", text: "a red dot" },
      { type: "image", data: PNG_1PX, mimeType: "image/png" },
      { type: "resource_link", uri: "file:///dot.png", name: "dot.png" },
      { type: "resource", resource: { uri: "file:///note.txt", mimeType: "text/plain", text: "a note" } },
    ],
  }));
  server.registerTool("fail", { description: "Always fails" }, async () => ({
    isError: true,
    content: [{ type: "text", text: "boom: the input was rejected" }],
  }));
  server.registerTool("slow", { description: "Waits", inputSchema: { ms: z.number() } }, async ({ ms }, extra) => {
    try {
      await sleep(ms, undefined, { signal: extra.signal });
    } catch {
      state.canceledCalls++;
    }
    return { content: [{ type: "text", text: `waited ${ms}ms` }] };
  });
  return server;
}

export async function startTestMcpServer(transport: "http" | "sse", port = 0): Promise<TestMcpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport | SSEServerTransport>();
  const state: TestMcpServer = { url: "", port: 0, initializeCount: 0, canceledCalls: 0, stop: async () => {} };
  const handle = transport === "http" ? handleStreamable : handleSse;

  async function handleStreamable(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sessionId = req.headers["mcp-session-id"];
    const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    if (existing instanceof StreamableHTTPServerTransport) return existing.handleRequest(req, res, body);
    if (sessionId !== undefined || !isInitializeRequest(body)) return notFound(res);
    const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, created),
    });
    await buildServer(state).connect(created);
    await created.handleRequest(req, res, body);
  }

  async function handleSse(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/sse") {
      const created = new SSEServerTransport("/messages", res);
      sessions.set(created.sessionId, created);
      await buildServer(state).connect(created);
      return;
    }
    const existing = sessions.get(url.searchParams.get("sessionId") ?? "");
    if (req.method === "POST" && existing instanceof SSEServerTransport) return existing.handlePostMessage(req, res, body);
    notFound(res);
  }

  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body: unknown = text ? JSON.parse(text) : undefined;
      if (isInitializeRequest(body)) state.initializeCount++;
      handle(req, res, body).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  state.port = (http.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}${transport === "http" ? "/mcp" : "/sse"}`;
  state.stop = async () => {
    await Promise.all([...sessions.values()].map((session) => session.close().catch(() => undefined)));
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return state;
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }));
}
