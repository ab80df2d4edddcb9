import { ApiKeyStore } from "@ark/service-kit";
import { testPostgres } from "@ark/testing/vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshNamespace, startMcpStack, type McpStack } from "./test-support/stack.js";

const ADMIN_KEY = "admin-key-for-mcp-tests-0123456789";
const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
const text = (result: CallToolResult): string => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe.skipIf(!testPostgres())("ark-mcp authenticates its callers and keeps them to their namespaces", () => {
  let stack: McpStack;
  let mine: string;
  let theirs: string;
  let key: string;

  beforeAll(async () => {
    stack = await startMcpStack({ env: { ARK_API_AUTH: "apikey", ARK_API_ADMIN_KEY: ADMIN_KEY } });
    mine = await freshNamespace(stack);
    theirs = await freshNamespace(stack);
    for (const namespace of [mine, theirs]) await stack.ark.agents.create({ metadata: { name: `agent-of-${namespace}`, namespace }, spec: { prompt: "hi" } });
    key = (await new ApiKeyStore(stack.core, "ark-system").create({ name: "tenant", namespaces: [mine] })).key;
  });
  afterAll(async () => stack?.close());

  const post = (headers: Record<string, string>, body = initialize) =>
    fetch(stack.mcp.mcpUrl, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body });

  it("answers 401 to a caller without valid credentials", async () => {
    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await post({ authorization: "Bearer ark_0123456789abcdef_notarealkeynotarealkey" })).status).toBe(401);
  });

  it("runs tools and resources only in the caller's namespaces", async () => {
    const client = await stack.connect("/mcp", { authorization: `Bearer ${key}` });
    const own = (await client.callTool({ name: "list_agents", arguments: { namespace: mine } })) as CallToolResult;
    expect(own.isError).toBeFalsy();
    expect(text(own)).toContain(`agent-of-${mine}`);
    for (const [name, args] of [
      ["list_agents", { namespace: theirs }],
      ["get_query", { namespace: theirs, name: "x" }],
      ["query", { namespace: theirs, target: `agent/agent-of-${theirs}`, input: "hi" }],
    ] as const) {
      const refused = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(refused.isError, name).toBe(true);
      expect(text(refused)).toContain(`may not use namespace ${theirs}`);
      expect(text(refused)).not.toContain(`agent-of-${theirs}"`);
    }
    expect(await stack.ark.queries.list(theirs)).toEqual([]);
    const namespaces = JSON.parse(((await client.readResource({ uri: "ark://namespaces" })).contents[0] as { text: string }).text) as { namespaces: string[] };
    expect(namespaces.namespaces).toEqual([mine]);
    await expect(client.readResource({ uri: `ark://namespaces/${theirs}/agents` })).rejects.toThrow(`may not use namespace ${theirs}`);
  });

  it("keeps a session to the principal that opened it", async () => {
    const opened = await post({ authorization: `Bearer ${key}` });
    expect(opened.status).toBe(200);
    const session = opened.headers.get("mcp-session-id")!;
    await opened.body?.cancel();
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const hijack = await post({ authorization: `Bearer ${ADMIN_KEY}`, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" }, list);
    expect(hijack.status).toBe(404);
  });
});
