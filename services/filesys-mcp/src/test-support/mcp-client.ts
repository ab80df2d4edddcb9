import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyBaseLogger } from "fastify";
import type { Workspace } from "../confinement/workspace.js";
import { createFilesysMcpServer } from "../mcp/create-mcp-server.js";
import { Workspaces } from "../mcp/workspaces.js";
import type { Limits } from "../tools/tool.js";

const quietLog = { info() {}, error() {}, warn() {}, debug() {} } as unknown as FastifyBaseLogger;

export interface ToolCall {
  isError: boolean;
  text: string;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : JSON.stringify(c))).join("\n");
}

/** A real MCP client connected in memory to a filesys server over `ws`. */
export async function connectInMemory(ws: Workspace, limits: Limits = { maxReadBytes: 1_048_576, maxWriteBytes: 1_048_576 }) {
  const server = createFilesysMcpServer({ workspaces: new Workspaces(ws, false), limits, log: quietLog });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test", version: "1.0.0" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    async call(name: string, args: Record<string, unknown> = {}): Promise<ToolCall> {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      return { isError: result.isError === true, text: textOf(result) };
    },
    close: () => Promise.all([client.close(), server.close()]),
  };
}
