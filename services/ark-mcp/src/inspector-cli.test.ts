import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshNamespace, startMcpStack, type McpStack } from "./test-support/stack.js";

// @modelcontextprotocol/inspector-cli is not a dependency: point MCP_INSPECTOR_CLI at its build/index.js to run these.
const cli = process.env.MCP_INSPECTOR_CLI;
const run = promisify(execFile);

describe.skipIf(!cli || !testPostgres())("ark-mcp under @modelcontextprotocol/inspector-cli (CLI mode)", () => {
  let stack: McpStack;
  let ns: string;

  beforeAll(async () => {
    stack = await startMcpStack();
    ns = await freshNamespace(stack);
    await stack.ark.agents.create({ metadata: { name: "inspected", namespace: ns }, spec: { prompt: "p", description: "seen by the inspector" } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function inspect(...args: string[]): Promise<unknown> {
    // 1.0.3 checks for ../package.json relative to the working directory but imports it relative to itself.
    const { stdout } = await run(process.execPath, [cli!, stack.mcp.mcpUrl, "--transport", "http", ...args], { timeout: 30_000, cwd: dirname(cli!) });
    return JSON.parse(stdout);
  }

  it("initializes and lists the tools", async () => {
    const listed = (await inspect("--method", "tools/list")) as { tools: { name: string }[] };
    expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["list_agents", "query", "query_agent", "get_query"]));
  }, 60_000);

  it("calls list_agents, reads a resource, and gets isError for an unknown agent", async () => {
    const agents = (await inspect("--method", "tools/call", "--tool-name", "list_agents", "--tool-arg", `namespace=${ns}`)) as { content: { text: string }[] };
    expect(JSON.parse(agents.content[0]!.text)).toEqual([expect.objectContaining({ name: "inspected", description: "seen by the inspector" })]);
    const resource = (await inspect("--method", "resources/read", "--uri", `ark://namespaces/${ns}/agents`)) as { contents: { text: string }[] };
    expect(JSON.parse(resource.contents[0]!.text)).toMatchObject({ namespace: ns, count: 1 });
    const unknown = (await inspect("--method", "tools/call", "--tool-name", "query_agent", "--tool-arg", "agent=ghost", "input=hi", `namespace=${ns}`)) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]!.text).toBe(`agent "ghost" not found in namespace ${ns}`);
  }, 90_000);
});
