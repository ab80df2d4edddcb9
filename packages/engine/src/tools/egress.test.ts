import type { LookupFunction } from "node:net";
import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpPools } from "../http/pools.js";
import { httpSessionMemory } from "../memory/http-memory.js";
import { createOpenAIProvider } from "../providers/openai.js";
import { EgressGuard, egressEntryProblems } from "./egress.js";
import { createHttpTool } from "./http.js";
import { listMcpTools } from "./mcp/discovery.js";
import { McpClientPool } from "./mcp/pool.js";
import { startTestMcpServer, type TestMcpServer } from "./mcp/test-mcp-server.js";
import { mcpTool } from "./mcp/tool.js";

const context = { toolCallId: "c1", agent: "default/a" };
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
function later<T extends { close(): Promise<unknown> } | { closeAll(): Promise<unknown> }>(resource: T): T {
  cleanups.push(() => ("close" in resource ? resource.close() : resource.closeAll()));
  return resource;
}

const resolvingTo =
  (address: string): LookupFunction =>
  (_host, options, callback) =>
    options.all ? (callback as (e: null, a: unknown) => void)(null, [{ address, family: address.includes(":") ? 6 : 4 }]) : callback(null, address, 4);

const httpTool = (url: string, egress?: EgressGuard, headers?: Record<string, string>) => createHttpTool({ namespace: "tenant", name: "t", http: { url, method: "GET" }, ...(headers ? { headers } : {}) }, egress);

const mcpToolAt = (url: string, pool: McpClientPool) => mcpTool({ pool, server: { url }, tool: { metadata: { name: "srv-echo" }, spec: { mcp: { mcpServerRef: { name: "srv" }, toolName: "echo" } } } });

// Every notation a URL accepts for 169.254.169.254, the other metadata endpoints, and IPv6 forms that carry them.
const METADATA_URLS = [
  "http://169.254.169.254/latest/meta-data/",
  "http://2852039166/",
  "http://0xa9fea9fe/",
  "http://0251.0376.0251.0376/",
  "http://169.254.43518/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://[::a9fe:a9fe]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://[64:ff9b::169.254.169.254]/",
  "http://[::ffff:0:a9fe:a9fe]/",
  "http://[2002:a9fe:a9fe::1]/",
  "http://[fd00:ec2::254]/",
  "http://168.63.129.16/machine/",
  "http://100.100.100.200/latest/meta-data/",
  "http://169.254.170.2/v2/credentials",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://METADATA.google.internal./computeMetadata/v1/",
];

describe("metadata addresses are refused for every kind of outbound call", () => {
  it("HTTP tools, with the default guard", async () => {
    for (const url of METADATA_URLS) {
      await expect(httpTool(url).execute("{}", context), url).rejects.toThrow(/^egress to .* refused: a cloud metadata/);
    }
  });

  it("model providers, memory services and MCP servers (their default pools and transports)", async () => {
    const pool = later(new McpClientPool({ connect: { attempts: 1 } }));
    for (const url of ["http://[64:ff9b::a9fe:a9fe]/v1", "http://[::a9fe:a9fe]/v1", "http://168.63.129.16/v1", "http://2852039166/v1"]) {
      const model = createOpenAIProvider({ type: "openai", model: "m", baseUrl: url, apiKey: "k" });
      await expect(model.chat({ messages: [{ role: "user", content: "hi" }] }), url).rejects.toThrow(/egress to .* refused: a cloud metadata address/);
      const memory = httpSessionMemory({ memory: "tenant/m", address: url, sessionId: "s" });
      await expect(memory.load(undefined), url).rejects.toThrow(/egress to .* refused: a cloud metadata address/);
      await expect(mcpToolAt(`${url}/mcp`, pool).execute('{"text":"x"}', context), url).rejects.toThrow(/egress to .* refused: a cloud metadata address/);
      const listing = await listMcpTools({ url: `${url}/mcp` }, { timeoutMs: 5000 });
      expect(listing.ok ? "listed" : listing.error.message, url).toMatch(/egress to .* refused: a cloud metadata address/);
    }
  });

  it("a name that resolves to a metadata address, checked on the address the connection uses (not only the name)", async () => {
    const guard = later(new EgressGuard({ lookup: resolvingTo("169.254.169.254") }));
    await expect(httpTool("http://innocent.example.test/", guard).execute("{}", context)).rejects.toThrow("egress to innocent.example.test resolves to 169.254.169.254 refused: a cloud metadata address");
    const pools = later(new HttpPools({ egress: guard }));
    const model = createOpenAIProvider({ type: "openai", model: "m", baseUrl: "http://models.example.test/v1", apiKey: "k" }, { pools });
    await expect(model.chat({ messages: [{ role: "user", content: "hi" }] })).rejects.toThrow(/models\.example\.test resolves to 169\.254\.169\.254 refused/);
    // An allowed name does not open a metadata address; only an address entry does.
    const named = later(new EgressGuard({ allow: ["innocent.example.test"], lookup: resolvingTo("169.254.169.254") }));
    await expect(httpTool("http://innocent.example.test/", named).execute("{}", context)).rejects.toThrow(/a cloud metadata address/);
    expect(() => new EgressGuard({ allow: ["169.254.170.2"] }).checkHost("169.254.170.2")).not.toThrow();
  });
});

describe("tenant tools (blockInternal) do not reach ARK's services or the host's", () => {
  let fixture: RecordingServer;
  let other: RecordingServer;
  let mcp: TestMcpServer;
  beforeAll(async () => {
    fixture = await startRecordingServer((req, res) => {
      if (req.url.startsWith("/to-other")) return res.writeHead(302, { location: `${other.url}/private` }).end();
      res.end("fixture answered");
    });
    other = await startRecordingServer((_req, res) => res.end("other answered"));
    mcp = await startTestMcpServer("http");
  });
  afterAll(async () => {
    await fixture.close();
    await other.close();
    await mcp.stop();
  });
  const port = (url: string) => new URL(url).port;

  it("refuses loopback, private and unspecified addresses and ARK service names, in any notation", () => {
    const tenant = new EgressGuard({ blockInternal: true });
    for (const host of [
      "127.0.0.1",
      "127.1",
      "2130706433",
      "0.0.0.0",
      "0",
      "[::1]",
      "[::]",
      "[::ffff:127.0.0.1]",
      "[64:ff9b::7f00:1]",
      "10.0.0.5",
      "172.20.1.1",
      "192.168.1.10",
      "100.64.0.1",
      "[fd12::1]",
      "localhost",
      "api.localhost",
      "ark-apiserver",
      "ark-apiserver.ark-system",
      "ark-apiserver.ark-system.svc",
      "ark-apiserver.ark-system.svc.cluster.local",
      "ark-mcp",
      "postgres-memory.default.svc.cluster.local",
      "ark-api.ark",
      "ark-controller",
      "nats.ark.svc",
      "postgres",
      "kubernetes.default.svc",
    ]) {
      expect(() => tenant.checkHost(host, 80), host).toThrow(/^egress to .* refused/);
    }
    for (const host of ["api.example.com", "8.8.8.8", "[2001:4860:4860::8888]", "ark-apiserver.example.com"]) {
      expect(() => tenant.checkHost(host, 443), host).not.toThrow();
    }
  });

  it("an HTTP tool aimed at a local service is refused before any request reaches it, by address or by a name resolving to it", async () => {
    const tenant = later(new EgressGuard({ blockInternal: true, lookup: resolvingTo("127.0.0.1") }));
    const before = fixture.requests.length;
    for (const url of [`${fixture.url}/`, `http://localhost:${port(fixture.url)}/`, `http://[::ffff:127.0.0.1]:${port(fixture.url)}/`, `http://public.example.test:${port(fixture.url)}/`]) {
      await expect(httpTool(url, tenant).execute("{}", context), url).rejects.toThrow(/^egress to .* refused: an internal/);
    }
    expect(fixture.requests.length).toBe(before);
  });

  it("an allow entry opens exactly its address and port; a redirect from there to another local port is refused", async () => {
    const tenant = later(new EgressGuard({ blockInternal: true, allow: [`127.0.0.1:${port(fixture.url)}`] }));
    expect((await httpTool(`${fixture.url}/ok`, tenant).execute("{}", context)).content).toBe("fixture answered");
    await expect(httpTool(`${other.url}/direct`, tenant).execute("{}", context)).rejects.toThrow(/refused: an internal address/);
    await expect(httpTool(`${fixture.url}/to-other`, tenant).execute("{}", context)).rejects.toThrow(/refused: an internal address/);
    expect(other.requests).toEqual([]);
  });

  it("resolves a name once per connection, and that answer is both checked and connected to (no rebinding in between)", async () => {
    const answers: string[] = [];
    const lookup: LookupFunction = (host, options, callback) => {
      answers.push(host);
      resolvingTo("127.0.0.1")(host, options, callback);
    };
    const tenant = later(new EgressGuard({ blockInternal: true, allow: [`127.0.0.1:${port(fixture.url)}`], lookup }));
    expect((await httpTool(`http://tool.example.test:${port(fixture.url)}/`, tenant).execute("{}", context)).content).toBe("fixture answered");
    expect(answers).toEqual(["tool.example.test"]);
  });

  it("an MCPServer on a local address is refused for tools and discovery, and reachable once allowed", async () => {
    const tenant = later(new EgressGuard({ blockInternal: true }));
    const refusing = later(new McpClientPool({ egress: tenant, connect: { attempts: 1 } }));
    await expect(mcpToolAt(mcp.url, refusing).execute('{"text":"hi"}', context)).rejects.toThrow(/egress to 127\.0\.0\.1 refused: an internal address/);
    const listing = await listMcpTools({ url: mcp.url }, { timeoutMs: 5000, egress: tenant });
    expect(listing.ok ? "listed" : listing.error.message).toMatch(/egress to 127\.0\.0\.1 refused/);

    const allowed = later(new EgressGuard({ blockInternal: true, allow: [`127.0.0.1:${port(mcp.url)}`] }));
    const pool = later(new McpClientPool({ egress: allowed }));
    expect((await mcpToolAt(mcp.url, pool).execute('{"text":"hi"}', context)).content).toContain("hi");
  });
});

describe("egress entries", () => {
  it("accepts IPs, CIDRs, names, *.suffix and :port forms, and names each bad entry", () => {
    expect(egressEntryProblems(["10.0.0.0/8", "127.0.0.1:8080", "[::1]:9090", "fd00::/8", "api.example.com", "*.corp.test", "filesys-mcp:9090"])).toEqual([]);
    expect(egressEntryProblems(["10.0.0.0/33", "1.2.3.4:70000", "bad host", "http://x/"])).toEqual([
      'egress entry "10.0.0.0/33": bad prefix length',
      'egress entry "1.2.3.4:70000": port out of range',
      'egress entry "bad host": not an IP, CIDR, host name or *.suffix',
      'egress entry "http://x/": not an IP, CIDR, host name or *.suffix',
    ]);
  });

  it("deny entries and an allow-list refuse the rest", () => {
    expect(() => new EgressGuard({ deny: ["10.0.0.0/8", "*.corp.test"] }).checkHost("api.corp.test")).toThrow(/refused/);
    expect(() => new EgressGuard({ deny: ["10.0.0.0/8"] }).checkHost("10.1.2.3")).toThrow(/refused/);
    const allowList = new EgressGuard({ defaultAction: "deny", allow: ["127.0.0.0/8"] });
    expect(() => allowList.checkHost("127.0.0.1")).not.toThrow();
    expect(() => allowList.checkHost("8.8.8.8")).toThrow(/not on the egress allow list/);
  });
});
