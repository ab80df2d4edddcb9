import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelay } from "@ark/types";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { EngineError } from "../../errors.js";
import { sanitizeRemoteText } from "../../remote-text.js";
import { defaultEgressGuard, type EgressGuard } from "../egress.js";
import { describeConnection, type McpServerConnection } from "./connection.js";
import { isRetryableConnectError } from "./failures.js";

export interface ConnectPolicy {
  /** Attempts in all, the first included (upstream: 5). */
  attempts: number;
  /** Pause before the second attempt, doubled each time (upstream: 2 s, 4 s, 8 s, 16 s). */
  backoffMs: number;
  /** No attempt starts after this much time (upstream: 120 s). */
  budgetMs: number;
  /** Limit of one `initialize` exchange. */
  initializeTimeoutMs: number;
}

export const DEFAULT_CONNECT_POLICY: ConnectPolicy = { attempts: 5, backoffMs: 2000, budgetMs: 120_000, initializeTimeoutMs: 30_000 };

const CLIENT_INFO = { name: "ark", version: "0.1.0" };

/** The SDK's transport, its requests made through `egress` (each connection checked, redirects kept within the origin by the SDK). */
function createTransport(connection: McpServerConnection, egress: EgressGuard = defaultEgressGuard): Transport {
  let url: URL;
  try {
    url = new URL(connection.url);
  } catch (cause) {
    throw new EngineError("CONFIG_ERROR", `MCP server address "${connection.url}" is not a URL`, { cause });
  }
  const requestInit: RequestInit = { headers: { ...connection.headers } };
  const transport = connection.transport ?? "http";
  const options = { requestInit, fetch: egress.fetch, redirectPolicy: "same-origin" } as const;
  if (transport === "http") return new StreamableHTTPClientTransport(url, options);
  if (transport === "sse") return new SSEClientTransport(url, options);
  throw new EngineError("CONFIG_ERROR", `unsupported transport type ${String(transport)}`);
}

/** Connects and initializes, retrying retryable failures with exponential backoff within the budget. */
export async function connectClient(connection: McpServerConnection, policy: ConnectPolicy, egress: EgressGuard = defaultEgressGuard, onError?: (error: Error) => void): Promise<Client> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    if (onError) client.onerror = onError;
    try {
      await client.connect(createTransport(connection, egress), { timeout: policy.initializeTimeoutMs });
      return client;
    } catch (error) {
      await client.close().catch(() => undefined);
      const delay = backoffDelay(attempt, { baseMs: policy.backoffMs, maxMs: Infinity });
      const retry = attempt < policy.attempts && isRetryableConnectError(error) && Date.now() - started + delay < policy.budgetMs;
      if (!retry) {
        if (error instanceof EngineError) throw error;
        const reason = mcpErrorText(error, connection);
        throw new EngineError("TOOL_FAILED", `MCP server ${describeConnection(connection)}: connect failed after ${attempt} attempt(s): ${reason}`, { cause: error });
      }
      await sleep(delay, undefined, { ref: false });
    }
  }
}

/** An MCP server's error (the SDK puts response bodies in its messages) as an error message may carry it. */
export function mcpErrorText(error: unknown, connection: McpServerConnection): string {
  return sanitizeRemoteText(error instanceof Error ? error.message : String(error), { secrets: Object.values(connection.headers ?? {}) });
}
