import { parseDuration } from "@ark/types";
import type { ToolSpec } from "@ark/types";
import { EngineError } from "../../errors.js";
import { sanitizeRemoteText } from "../../remote-text.js";
import type { Tool } from "../tool.js";
import { mcpErrorText } from "./connect.js";
import type { McpServerConnection } from "./connection.js";
import type { McpClientPool } from "./pool.js";
import { resultText } from "./result.js";

export const DEFAULT_MCP_TIMEOUT_MS = 30_000;
const MAX_TOOL_ERROR_CHARS = 4000;

/** The Tool CR of type mcp, as much as the tool needs. */
export interface McpToolResource {
  metadata: { name: string; annotations?: Record<string, string> | undefined };
  spec: Pick<ToolSpec, "description" | "inputSchema" | "mcp">;
}

export interface McpToolOptions {
  pool: McpClientPool;
  tool: McpToolResource;
  /** The MCPServer's resolved address, transport and headers. */
  server: McpServerConnection;
  /** MCPServer `spec.timeout` (Go duration); default 30s. */
  timeout?: string | undefined;
}

/** A Tool CR of type mcp: the model calls it by the Tool CR's name, the server by `spec.mcp.toolName`. */
export function mcpTool(options: McpToolOptions): Tool {
  const { pool, tool, server } = options;
  const name = tool.metadata.name;
  const remoteName = tool.spec.mcp?.toolName;
  if (!remoteName) throw new EngineError("CONFIG_ERROR", `tool ${name}: spec.mcp.toolName is required for an MCP tool`);
  const timeoutMs = mcpTimeoutMs(options.timeout, name);
  const description = tool.spec.description || tool.metadata.annotations?.["description"] || `Custom tool: ${name}`;
  return {
    kind: "mcp",
    definition: {
      type: "function",
      function: { name, description, parameters: tool.spec.inputSchema ?? { type: "object", properties: {} } },
    },
    async execute(rawArguments, context) {
      const args = parseArguments(rawArguments, name);
      let result;
      try {
        result = await pool.callTool(server, remoteName, args, { signal: context.signal, timeoutMs });
      } catch (error) {
        if (error instanceof EngineError) throw error;
        throw new EngineError("TOOL_FAILED", `MCP tool ${remoteName}: ${mcpErrorText(error, server)}`, { cause: error });
      }
      const content = resultText(result);
      // The server's error text reaches the model and, for a tool target, the Query's status.
      if (result.isError) throw new EngineError("TOOL_FAILED", sanitizeRemoteText(content, { secrets: Object.values(server.headers ?? {}), max: MAX_TOOL_ERROR_CHARS }) || `MCP tool ${remoteName} returned an error`);
      return { content };
    },
  };
}

export function mcpTimeoutMs(timeout: string | undefined, tool: string): number {
  if (!timeout) return DEFAULT_MCP_TIMEOUT_MS;
  try {
    const ms = parseDuration(timeout);
    return ms > 0 ? ms : DEFAULT_MCP_TIMEOUT_MS;
  } catch (cause) {
    throw new EngineError("CONFIG_ERROR", `tool ${tool}: MCP server timeout "${timeout}" is not a duration`, { cause });
  }
}

function parseArguments(raw: string, tool: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new EngineError("TOOL_FAILED", `tool ${tool}: arguments are not valid JSON: ${raw.slice(0, 200)}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new EngineError("TOOL_FAILED", `tool ${tool}: arguments must be a JSON object`);
  }
  return value as Record<string, unknown>;
}
