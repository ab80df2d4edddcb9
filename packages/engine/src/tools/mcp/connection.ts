import { createHash } from "node:crypto";

export type McpTransportKind = "http" | "sse";

/** Where an MCP server is reached: the MCPServer's resolved address, transport and headers (secrets resolved). */
export interface McpServerConnection {
  url: string;
  /** `http` is MCP Streamable HTTP (the default), `sse` the legacy SSE transport. */
  transport?: McpTransportKind;
  headers?: Readonly<Record<string, string>>;
}

/** One pooled client per (transport, URL, header set); header values are hashed so the key never holds a secret. */
export function connectionKey(connection: McpServerConnection): string {
  const headers = Object.entries(connection.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash("sha256").update(JSON.stringify(headers)).digest("hex").slice(0, 16);
  return `${connection.transport ?? "http"} ${connection.url} ${digest}`;
}

/** For messages: the URL without credentials or query. */
export function describeConnection(connection: McpServerConnection): string {
  try {
    const url = new URL(connection.url);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
