import { setTimeout as delay } from "node:timers/promises";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { EngineError } from "../../errors.js";
import type { EgressGuard } from "../egress.js";
import { connectClient, mcpErrorText, type ConnectPolicy } from "./connect.js";
import { describeConnection, type McpServerConnection } from "./connection.js";

/** One entry of a server's `tools/list`, as much as a Tool CR records. */
export interface McpDiscoveredTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  annotations?: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
}

export interface ListMcpToolsOptions {
  signal?: AbortSignal | undefined;
  /** Limit of `initialize` and of each `tools/list` page. */
  timeoutMs: number;
  /** Connect retries; one attempt by default (a controller retries on its own schedule). */
  connect?: Partial<ConnectPolicy>;
  /** Where MCP servers may be reached; by default metadata addresses are refused. */
  egress?: EgressGuard;
}

/** Which step failed: `connect` (connect + initialize) or `list` (`tools/list`); never throws. */
export type McpToolListing = { ok: true; tools: McpDiscoveredTool[] } | { ok: false; stage: "connect" | "list"; error: EngineError };

const MAX_PAGES = 100;

/** Connects, reads every page of `tools/list` and closes the connection. */
export async function listMcpTools(connection: McpServerConnection, options: ListMcpToolsOptions): Promise<McpToolListing> {
  const what = `MCP server ${describeConnection(connection)}`;
  const policy: ConnectPolicy = { attempts: 1, backoffMs: 1000, budgetMs: options.timeoutMs, initializeTimeoutMs: options.timeoutMs, ...options.connect };
  let client: Client;
  try {
    client = await connectClient(connection, policy, options.egress);
  } catch (error) {
    return { ok: false, stage: "connect", error: asEngineError(error, what, connection) };
  }
  try {
    const tools: McpDiscoveredTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await client.listTools(cursor ? { cursor } : {}, { signal: options.signal, timeout: options.timeoutMs });
      for (const tool of result.tools) {
        tools.push({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          ...(tool.inputSchema ? { inputSchema: tool.inputSchema as Record<string, unknown> } : {}),
          ...(tool.annotations ? { annotations: tool.annotations } : {}),
        });
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return { ok: true, tools };
  } catch (error) {
    return { ok: false, stage: "list", error: asEngineError(error, `${what}: tools/list`, connection) };
  } finally {
    await closeClient(client);
  }
}

function asEngineError(error: unknown, what: string, connection: McpServerConnection): EngineError {
  if (error instanceof EngineError) return error;
  return new EngineError("TOOL_FAILED", `${what}: ${mcpErrorText(error, connection)}`, { cause: error });
}

async function closeClient(client: Client): Promise<void> {
  const transport = client.transport;
  // Ends the server-side session politely; a dead server must not hold up the close.
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
    await Promise.race([transport.terminateSession().catch(() => undefined), delay(2000, undefined, { ref: false })]);
  }
  await client.close().catch(() => undefined);
}
