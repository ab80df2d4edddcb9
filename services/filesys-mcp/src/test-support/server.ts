import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ark/service-kit";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { filesysConfig, start } from "../server.js";
import { textOf } from "./mcp-client.js";

/** Starts the real service on a free port over a fresh root; `beforeStart` may seed the root first. */
export async function startServer(env: Record<string, string> = {}, beforeStart?: (root: string) => Promise<void>) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "filesys-mcp-server-")));
  const root = join(dir, "root");
  await beforeStart?.(root);
  const config = loadConfig(filesysConfig, { PORT: "0", LOG_LEVEL: "silent", FILESYS_ROOT: root, ...env });
  const running = await start(config);
  return { running, dir, root, cleanup: async () => (await running.stop(), rmSync(dir, { recursive: true, force: true })) };
}

/** A real SDK client over HTTP, with `call` returning the text and error flag of a tool result. */
export async function connect(transport: StreamableHTTPClientTransport | SSEClientTransport) {
  const client = new Client({ name: "server-test", version: "1.0.0" });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    return { isError: result.isError === true, text: textOf(result) };
  };
  return { client, call };
}
