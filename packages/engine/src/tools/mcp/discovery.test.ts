import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listMcpTools } from "./discovery.js";
import { startTestMcpServer } from "./test-mcp-server.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe("listMcpTools", () => {
  it.each(["http", "sse"] as const)("lists every tool with description and input schema over %s", async (transport) => {
    const mcp = await startTestMcpServer(transport);
    cleanups.push(() => mcp.stop());
    const listing = await listMcpTools({ url: mcp.url, transport }, { timeoutMs: 5000 });
    expect(listing.ok).toBe(true);
    const tools = listing.ok ? listing.tools : [];
    expect(tools.map((tool) => tool.name).sort()).toEqual(["echo", "fail", "picture", "slow", "whoami"]);
    expect(tools.find((tool) => tool.name === "echo")).toMatchObject({
      description: "Echoes text",
      inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    });
  });

  it("says the connect step failed when nothing listens", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const listing = await listMcpTools({ url: `http://127.0.0.1:${port}/mcp` }, { timeoutMs: 2000 });
    expect(listing).toMatchObject({ ok: false, stage: "connect", error: { code: "TOOL_FAILED", message: expect.stringContaining("connect failed") } });
  });
});
