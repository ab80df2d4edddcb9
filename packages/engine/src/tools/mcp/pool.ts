import { setTimeout as delay } from "node:timers/promises";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { raceAbort } from "../../abort.js";
import { EngineError, abortError } from "../../errors.js";
import type { EgressGuard } from "../egress.js";
import { connectClient, DEFAULT_CONNECT_POLICY, mcpErrorText, type ConnectPolicy } from "./connect.js";
import { connectionKey, describeConnection, type McpServerConnection } from "./connection.js";
import { isTransportFailure } from "./failures.js";
import { SpanKind, SpanStatusCode, traced } from "../../tracing.js";

export interface McpClientPoolOptions {
  connect?: Partial<ConnectPolicy>;
  /** Close a client unused this long (default 5 min; 0 keeps it until closeAll). */
  idleMs?: number;
  /** Errors the SDK reports outside a request (a dropped stream, a failed reconnect). */
  onError?: (error: Error, server: string) => void;
  /** Where MCP servers may be reached; by default metadata addresses are refused. */
  egress?: EgressGuard;
}

export interface McpCallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs: number;
}

interface PooledClient {
  readonly key: string;
  readonly client: Promise<Client>;
  inFlight: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * MCP clients shared by every tool and query of a worker: one per (transport, URL, header set),
 * connected on first use, replaced after a transport failure, closed when idle.
 */
export class McpClientPool {
  private readonly clients = new Map<string, PooledClient>();
  private readonly policy: ConnectPolicy;
  private readonly idleMs: number;
  private closed = false;

  constructor(private readonly options: McpClientPoolOptions = {}) {
    this.policy = { ...DEFAULT_CONNECT_POLICY, ...options.connect };
    this.idleMs = options.idleMs ?? 300_000;
  }

  /** Clients currently open or connecting. */
  get size(): number {
    return this.clients.size;
  }

  /** `tools/call`; a transport failure reconnects and retries once, then fails. */
  async callTool(connection: McpServerConnection, name: string, args: Record<string, unknown>, options: McpCallOptions): Promise<CallToolResult> {
    const attributes = { "mcp.method.name": "tools/call", "gen_ai.tool.name": name, "ark.mcp.server": describeConnection(connection) };
    return traced(
      `tools/call ${name}`,
      attributes,
      async (span) => {
        const result = await this.callWithRetry(connection, name, args, options);
        if (result.isError) span.setStatus({ code: SpanStatusCode.ERROR, message: "the MCP server answered isError" });
        return result;
      },
      SpanKind.CLIENT,
    );
  }

  private async callWithRetry(connection: McpServerConnection, name: string, args: Record<string, unknown>, options: McpCallOptions): Promise<CallToolResult> {
    const what = `MCP tool ${name} on ${describeConnection(connection)}`;
    try {
      return await this.callOnce(connection, name, args, options, what);
    } catch (error) {
      if (!isTransportFailure(error) || error instanceof EngineError) throw error;
      return await this.callOnce(connection, name, args, options, what).catch((retryError: unknown) => {
        throw retryError instanceof EngineError ? retryError : new EngineError("TOOL_FAILED", `${what}: ${mcpErrorText(retryError, connection)}`, { cause: retryError });
      });
    }
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const entries = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(entries.map((entry) => closeEntry(entry)));
  }

  private async callOnce(connection: McpServerConnection, name: string, args: Record<string, unknown>, options: McpCallOptions, what: string): Promise<CallToolResult> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) throw abortError(signal, what);
    const entry = this.acquire(connection);
    // A per-call signal: the SDK never removes its abort listener, and the query's signal outlives many calls.
    const call = new AbortController();
    const forward = (): void => call.abort(signal?.reason);
    signal?.addEventListener("abort", forward, { once: true });
    try {
      const client = await raceAbort(entry.client, signal, what);
      return (await client.callTool({ name, arguments: args }, CallToolResultSchema, { signal: call.signal, timeout: timeoutMs })) as CallToolResult;
    } catch (error) {
      if (signal?.aborted) throw abortError(signal, what);
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        throw new EngineError("TIMEOUT", `${what}: timed out after ${timeoutMs / 1000}s`, { cause: error });
      }
      if (isTransportFailure(error)) this.discard(entry);
      throw error;
    } finally {
      signal?.removeEventListener("abort", forward);
      this.release(entry);
    }
  }

  private acquire(connection: McpServerConnection): PooledClient {
    if (this.closed) throw new EngineError("CANCELED", "MCP client pool is closed");
    const key = connectionKey(connection);
    let entry = this.clients.get(key);
    if (!entry) {
      const server = describeConnection(connection);
      const onError = this.options.onError ? (error: Error) => this.options.onError?.(error, server) : undefined;
      const client = connectClient(connection, this.policy, this.options.egress, onError);
      const created: PooledClient = { key, client, inFlight: 0 };
      entry = created;
      this.clients.set(key, created);
      client.then(
        (connected) => {
          connected.onclose = () => this.forget(created);
        },
        () => this.forget(created),
      );
    }
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.inFlight++;
    return entry;
  }

  private release(entry: PooledClient): void {
    entry.inFlight--;
    if (entry.inFlight > 0 || this.idleMs <= 0 || this.clients.get(entry.key) !== entry) return;
    entry.idleTimer = setTimeout(() => this.discard(entry), this.idleMs).unref();
  }

  private discard(entry: PooledClient): void {
    this.forget(entry);
    void closeEntry(entry);
  }

  private forget(entry: PooledClient): void {
    if (this.clients.get(entry.key) === entry) this.clients.delete(entry.key);
  }
}

async function closeEntry(entry: PooledClient): Promise<void> {
  if (entry.idleTimer) clearTimeout(entry.idleTimer);
  const client = await entry.client.catch(() => undefined);
  if (!client) return;
  const transport = client.transport;
  // Ends the server-side session politely; a dead server must not hold up the close.
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
    await Promise.race([transport.terminateSession().catch(() => undefined), delay(2000, undefined, { ref: false })]);
  }
  await client.close().catch(() => undefined);
}
