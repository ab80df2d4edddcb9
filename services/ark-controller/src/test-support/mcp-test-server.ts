import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { freePort } from "@ark/service-kit";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

/** A real MCP server (Streamable HTTP, stateless) for the MCPServer reconciler tests; its tool set can change. */
export interface TestMcpServer {
  /** `http://127.0.0.1:<port>/mcp`, known before the server listens. */
  url: string;
  port: number;
  /** Tool name → description; every tool takes `{ text: string }`. */
  tools: Map<string, string>;
  /** Values of the required header on every request, accepted or not. */
  headerValues: string[];
  listen(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestMcpServerOptions {
  tools: Record<string, string>;
  /** Requests without this header value are answered 401. */
  requiredHeader?: { name: string; value: string };
  /** Don't listen yet: the port is reserved and the server started later with listen(). */
  deferListen?: boolean;
}

export async function startTestMcpServer(options: TestMcpServerOptions): Promise<TestMcpServer> {
  const port = await freePort();
  const state: TestMcpServer = {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    tools: new Map(Object.entries(options.tools)),
    headerValues: [],
    listen: async () => {},
    stop: async () => {},
  };
  let http: Server | undefined;

  function buildServer(): McpServer {
    const server = new McpServer({ name: "mcp-test", version: "1.0.0" });
    for (const [name, description] of state.tools) {
      server.registerTool(name, { description, inputSchema: { text: z.string().describe("What to act on") } }, async ({ text }) => ({
        content: [{ type: "text", text: `${name}: ${text}` }],
      }));
    }
    return server;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const required = options.requiredHeader;
    if (required) {
      const value = req.headers[required.name.toLowerCase()];
      state.headerValues.push(String(value ?? ""));
      if (value !== required.value) {
        res.writeHead(401, { "content-type": "text/plain" }).end("missing or wrong header");
        return;
      }
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const server = buildServer();
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  state.listen = async () => {
    const created = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        handle(req, res, text ? (JSON.parse(text) as unknown) : undefined).catch(() => {
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
    });
    await new Promise<void>((resolve) => created.listen(port, "127.0.0.1", resolve));
    http = created;
  };
  state.stop = async () => {
    const running = http;
    http = undefined;
    if (!running) return;
    running.closeAllConnections();
    await new Promise<void>((resolve) => running.close(() => resolve()));
  };
  if (!options.deferListen) await state.listen();
  return state;
}
