import { isArkError } from "@ark/service-kit";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyBaseLogger } from "fastify";
import { fileTools } from "../tools/index.js";
import type { FileTool, Limits } from "../tools/tool.js";
import type { Workspaces } from "./workspaces.js";

const SERVER_NAME = "filesys-mcp";
const SERVER_VERSION = "0.1.0";

export interface McpServerContext {
  workspaces: Workspaces;
  limits: Limits;
  log: FastifyBaseLogger;
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

async function runTool(tool: FileTool, args: unknown, sessionId: string | undefined, ctx: McpServerContext): Promise<CallToolResult> {
  try {
    const ws = await ctx.workspaces.forSession(sessionId);
    const run = () => tool.run(args as never, { ws, limits: ctx.limits });
    // Changes run one at a time per workspace, so the quota is charged from sizes no other call is changing.
    const text = tool.annotations.readOnlyHint ? await run() : await ws.exclusive(run);
    return { content: [{ type: "text", text }] };
  } catch (err) {
    if (isArkError(err) && err.code !== "INTERNAL") {
      ctx.log.info({ tool: tool.name, code: err.code, msg: err.message }, "tool call refused");
      return errorResult(err.message);
    }
    ctx.log.error({ err, tool: tool.name }, "tool call failed");
    return errorResult(isArkError(err) ? err.message : `${tool.name} failed: internal error`);
  }
}

/** One MCP server (one per session: an SDK server serves one transport) with every file tool registered. */
export function createFilesysMcpServer(ctx: McpServerContext): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      capabilities: { tools: {}, logging: {} },
      instructions: "File tools confined to one root directory. Use paths relative to it ('notes/a.txt'); absolute paths, '..' and symlinks leading outside are refused.",
    },
  );
  for (const tool of fileTools) {
    server.registerTool(tool.name, { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations }, (args: unknown, extra: { sessionId?: string }) =>
      runTool(tool, args, extra.sessionId, ctx),
    );
  }
  return server;
}
