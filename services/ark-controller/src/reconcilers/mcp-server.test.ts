import type { MCPServer, Tool } from "@ark/kube";
import { testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { afterAll, describe, expect, it, vi } from "vitest";
import { useControllerSuite } from "../test-support/controller.js";
import { freshNamespace } from "../test-support/manifests.js";
import { mcpToolResourceName, mcpToolResourceNames } from "./mcp-tool-names.js";
import { startTestMcpServer, type TestMcpServer } from "../test-support/mcp-test-server.js";

describe("MCP tool resource names", () => {
  it("follow upstream (<server>-<lowercase tool, _ → ->) and become valid RFC 1123 names otherwise", () => {
    expect(mcpToolResourceName("github", "Create_Issue")).toBe("github-create-issue");
    expect(mcpToolResourceName("fs", "read.file v2")).toBe("fs-read-file-v2");
    expect(mcpToolResourceName("fs", "_private_")).toBe("fs-private");
    expect(mcpToolResourceName("fs", "x".repeat(300))).toMatch(/^fs-x+-[0-9a-f]{8}$/);
    expect(mcpToolResourceName("fs", "x".repeat(300)).length).toBeLessThanOrEqual(253);
    const names = mcpToolResourceNames("fs", ["get_x", "get-x"]);
    expect(names.get("get_x")).toBe("fs-get-x");
    expect(names.get("get-x")).toMatch(/^fs-get-x-[0-9a-f]{8}$/);
  });
});

describe.skipIf(!testPostgres())("MCPServer reconciler", () => {
  // The test MCP servers listen on 127.0.0.1, which tenant MCP servers may not use unless allowed.
  const suite = useControllerSuite({ ARK_EGRESS_ALLOW: "127.0.0.1" });
  const servers: TestMcpServer[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  async function mcpServer(options: Parameters<typeof startTestMcpServer>[0]): Promise<TestMcpServer> {
    const server = await startTestMcpServer(options);
    servers.push(server);
    return server;
  }

  const serverOf = (ns: string, name: string) => async () => (await suite.stack.resources.ark.mcpServers.get(ns, name)) as MCPServer;
  const toolsOf = (ns: string, server: string) => () => suite.stack.resources.ark.tools.list(ns, { labelSelector: `mcp/server=${server}` });
  const names = (tools: Tool[]) => tools.map((tool) => tool.metadata.name).sort();
  const ready = (server: MCPServer | undefined) => server?.status?.conditions?.find((c) => c.type === "Ready");

  it("keeps one Tool per server tool (header from a Secret), drops a removed one after the next poll, and loses them with the MCPServer", async () => {
    const remote = await mcpServer({
      tools: { get_weather: "Weather for a city", echo: "Echoes text" },
      requiredHeader: { name: "X-Api-Key", value: "s3cret" },
    });
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.core.secrets.create({ metadata: { name: "mcp-auth", namespace: ns }, stringData: { token: "s3cret" } });
    const created = await suite.stack.resources.ark.mcpServers.create({
      metadata: { name: "weather", namespace: ns },
      spec: {
        address: { value: remote.url },
        headers: [{ name: "X-Api-Key", value: { valueFrom: { secretKeyRef: { name: "mcp-auth", key: "token" } } } }],
        pollInterval: "1s",
      },
    });

    const server = await vi.waitFor(async () => {
      const value = await serverOf(ns, "weather")();
      expect({ ready: ready(value)?.status, toolCount: value.status?.toolCount }).toEqual({ ready: "True", toolCount: 2 });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(server)).toMatchObject({ reason: "ToolsDiscovered", message: "Successfully discovered 2 tools" });
    expect(server.status?.conditions?.find((c) => c.type === "Discovering")).toMatchObject({ status: "False", reason: "DiscoveryComplete" });
    expect(server.status).toMatchObject({ resolvedAddress: remote.url, observedGeneration: server.metadata.generation });
    expect(remote.headerValues).toContain("s3cret");
    expect(remote.headerValues.every((value) => value === "s3cret")).toBe(true);

    const tools = await vi.waitFor(async () => {
      const value = await toolsOf(ns, "weather")();
      expect(value).toHaveLength(2);
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(names(tools)).toEqual(["weather-echo", "weather-get-weather"]);
    const weather = tools.find((tool) => tool.metadata.name === "weather-get-weather");
    expect(weather?.spec).toEqual({
      type: "mcp",
      description: "Weather for a city",
      inputSchema: { type: "object", properties: { text: expect.objectContaining({ type: "string" }) }, required: ["text"] },
      mcp: { mcpServerRef: { name: "weather", namespace: ns }, toolName: "get_weather" },
    });
    expect(weather?.metadata.labels).toMatchObject({ "mcp/server": "weather" });
    expect(weather?.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "MCPServer", name: "weather", uid: created.metadata.uid, controller: true })]);

    remote.tools.delete("echo");
    await expect.poll(toolsOf(ns, "weather"), WITHIN_TEST_TIMEOUT).toHaveLength(1);
    expect(names(await toolsOf(ns, "weather")())).toEqual(["weather-get-weather"]);
    await expect.poll(async () => (await serverOf(ns, "weather")()).status?.toolCount, WITHIN_TEST_TIMEOUT).toBe(1);

    await suite.stack.resources.ark.mcpServers.delete(ns, "weather");
    await expect.poll(toolsOf(ns, "weather"), WITHIN_TEST_TIMEOUT).toHaveLength(0);
  });

  it("reports an unreachable server as not Ready, recovers once it comes up, restores a deleted Tool, and sweeps the Tools of a server gone for good", async () => {
    const remote = await mcpServer({ tools: { ping: "Answers pong" }, deferListen: true });
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.ark.mcpServers.create({
      metadata: { name: "later", namespace: ns },
      spec: { address: { value: remote.url }, pollInterval: "1s", timeout: "2s" },
    });
    const down = await vi.waitFor(async () => {
      const value = await serverOf(ns, "later")();
      expect(ready(value)).toMatchObject({ reason: "ClientCreationFailed" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(down)).toMatchObject({ status: "False", message: expect.stringContaining("cannot connect") });
    expect(down.status?.conditions?.find((c) => c.type === "Discovering")).toMatchObject({ status: "False", reason: "ClientCreationFailed" });

    await remote.listen();
    await expect
      .poll(async () => {
        const s = await serverOf(ns, "later")();
        return { ready: ready(s)?.status, toolCount: s.status?.toolCount };
      }, WITHIN_TEST_TIMEOUT)
      .toEqual({ ready: "True", toolCount: 1 });
    expect(names(await toolsOf(ns, "later")())).toEqual(["later-ping"]);

    // A Tool deleted by hand comes back.
    await suite.stack.resources.ark.tools.delete(ns, "later-ping");
    await expect.poll(toolsOf(ns, "later"), WITHIN_TEST_TIMEOUT).toHaveLength(1);

    // Gone for good (5 failed connections in a row): its Tools are swept, as upstream does.
    await remote.stop();
    await expect.poll(toolsOf(ns, "later"), WITHIN_TEST_TIMEOUT).toHaveLength(0);
    const gone = await vi.waitFor(async () => {
      const value = await serverOf(ns, "later")();
      expect(value.status?.toolCount).toBe(0);
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(gone)).toMatchObject({ status: "False", reason: "ClientCreationFailed" });
  });

  it("reports an address that does not resolve", async () => {
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.ark.mcpServers.create({
      metadata: { name: "nowhere", namespace: ns },
      spec: { address: { valueFrom: { secretKeyRef: { name: "missing", key: "url" } } } },
    });
    const server = await vi.waitFor(async () => {
      const value = await serverOf(ns, "nowhere")();
      expect(ready(value)).toMatchObject({ reason: "AddressResolutionFailed" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(server)).toMatchObject({ status: "False", message: expect.stringContaining("missing") });
  });
});
