import { arkApiConfig, start as startArkApi, type RunningArkApi } from "@ark/ark-api";
import { arkApiA2aConfig, start as startArkApiA2a, type RunningArkApiA2a } from "@ark/ark-api-a2a";
import { arkMcpConfig, start as startArkMcp, type RunningArkMcp } from "@ark/ark-mcp";
import { gatewayConfig, start as startGateway, type RunningGateway } from "@ark/localhost-gateway";
import { memoryConfig, start as startMemory, type RunningMemoryService } from "@ark/postgres-memory";
import { loadConfig, MEMORY_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import { fuzzFailures, fuzzRequests, fuzzSeed, heapUsedAfterGc, randomFuzzRequests, seededRandom, sendFuzzRequests, type FuzzOutcome, type FuzzSurface, type FuzzTarget } from "@ark/testing";
import { startArkStack, type ArkStack, type RunningApiServer } from "@ark/test-stack";
import { testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { a2aSurface, apiServerSurface, arkApiSurface, CHECK_NAMESPACE, gatewaySurface, mcpSurface, memorySurface } from "./support/fuzz-surfaces.js";

// Malformed requests (bodies, content types, headers, paths, query strings, deep and huge JSON, invalid UTF-8, odd
// methods, raw HTTP) to ark-api, ark-apiserver, ark-mcp, ark-api-a2a, postgres-memory and the gateway, all in this process: no
// 5xx, every service still answers /health and a valid request afterwards, and the heap after a GC stays within a
// bound of the heap after a warm-up. FUZZ_SEED=<n> replays a run.
const LOG_LEVEL = process.env.ARK_TEST_LOG_LEVEL ?? "fatal";
const SEED = fuzzSeed(20261204);
const WARM_UP = 60;
const MEMORY_BODY_LIMIT = 262_144;
const MEMORY_SECRET = "fuzz-memory-secret-0123456789abcdefghij";
/** postgres-memory takes a namespace token minted with the secret it shares with the workers. */
const memoryAuth = () => ({ authorization: `Bearer ${namespaceToken(MEMORY_SECRET, MEMORY_TOKEN_AUDIENCE, "fuzz")}` });
/** Growth allowed from the heap after the warm-up to the heap at the end (both after a full GC). */
const HEAP_GROWTH_LIMIT = 24 * 1024 * 1024;
/** The Agent ark-api-a2a serves during the fuzz. */
const A2A_AGENT = "fuzz-agent";

describe.skipIf(!testPostgres())("services under malformed requests (e2e fuzz)", () => {
  let stack: ArkStack;
  let apiServer: RunningApiServer;
  let arkApi: RunningArkApi;
  let mcp: RunningArkMcp;
  let a2a: RunningArkApiA2a;
  let memory: RunningMemoryService;
  let gateway: RunningGateway;
  let sessionId: string;
  let heapAfterWarmUp = 0;
  let sent = 0;

  const services = () => ({
    "ark-api": { target: { url: arkApi.url } as FuzzTarget, surface: arkApiSurface(), count: 700 },
    "ark-apiserver": { target: { url: apiServer.url, ca: apiServer.caPem! } as FuzzTarget, surface: apiServerSurface(apiServer.token), count: 700 },
    "ark-mcp": { target: { url: mcp.url } as FuzzTarget, surface: mcpSurface(sessionId), count: 650 },
    "ark-api-a2a": { target: { url: a2a.url } as FuzzTarget, surface: a2aSurface(A2A_AGENT), count: 650 },
    "postgres-memory": { target: { url: memory.url } as FuzzTarget, surface: memorySurface(MEMORY_BODY_LIMIT, memoryAuth().authorization), count: 650 },
    "localhost-gateway": { target: { url: gateway.url } as FuzzTarget, surface: gatewaySurface(), count: 700 },
  });
  type ServiceName = keyof ReturnType<typeof services>;

  beforeAll(async () => {
    stack = await startArkStack({ label: "e2e-fuzz", apiServerEnv: { LOG_LEVEL } });
    const { kubeConfig, bus, arkHome: home } = stack;
    apiServer = stack.apiServer;
    const database = await stack.database("e2e-fuzz-services");
    arkApi = await startArkApi(loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL, ARK_API_AUTH: "none", RATE_LIMIT_PER_MINUTE: "0", MAX_WAIT_SECONDS: "2" }), { bus, kubeConfig });
    mcp = await startArkMcp(loadConfig(arkMcpConfig, { PORT: "0", LOG_LEVEL, ARK_HOME: home, ARK_MCP_QUERY_TIMEOUT: "2s", ARK_API_AUTH: "none" }), { kubeConfig, bus });
    memory = await startMemory(loadConfig(memoryConfig, { PORT: "0", LOG_LEVEL, DATABASE_URL: database.url, DATABASE_POOL_SIZE: "5", MAX_BODY_BYTES: String(MEMORY_BODY_LIMIT), MEMORY_AUTH_SECRET: MEMORY_SECRET }));
    gateway = await startGateway(loadConfig(gatewayConfig, { PORT: "0", LOG_LEVEL, GATEWAY_ROUTES: `api=${arkApi.url},mcp=${mcp.url},memory=${memory.url}` }));
    sessionId = await openMcpSession(mcp.mcpUrl);
    // No controller runs here: a task's query never ends, so it fails after its 1 s timeout and 1 s of grace.
    await stack.ark.agents.create({ metadata: { name: A2A_AGENT, namespace: "default" }, spec: { prompt: "fuzzed" } });
    a2a = await startArkApiA2a(
      loadConfig(arkApiA2aConfig, {
        PORT: "0",
        LOG_LEVEL,
        ARK_HOME: home,
        ARK_API_AUTH: "none",
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: "5",
        ARK_A2A_NAMESPACES: "default,fuzz",
        ARK_A2A_QUERY_TIMEOUT: "1s",
        ARK_A2A_QUERY_GRACE: "1s",
      }),
      { kubeConfig, bus },
    );

    // Warm-up: every code path compiled, pools and caches filled, before the heap is measured.
    for (const [name, { target, surface }] of Object.entries(services())) {
      await sendFuzzRequests(target, randomFuzzRequests(surface, seededRandom(SEED + name.length), WARM_UP), { concurrency: 8 });
    }
    heapAfterWarmUp = await heapUsedAfterGc();
  }, 120_000);

  afterAll(async () => {
    for (const running of [gateway, a2a, mcp, memory, arkApi]) {
      running?.service.app.server.closeAllConnections();
      await running?.stop().catch(() => undefined);
    }
    await stack?.stop();
  });

  async function send(target: FuzzTarget, requests: Parameters<typeof sendFuzzRequests>[1]): Promise<FuzzOutcome[]> {
    const outcomes = await sendFuzzRequests(target, requests, { concurrency: 8 });
    sent += outcomes.length;
    return outcomes;
  }

  async function fuzz(name: ServiceName, ignore?: (o: FuzzOutcome) => boolean): Promise<void> {
    const { target, surface, count } = services()[name];
    const requests = fuzzRequests(surface as FuzzSurface, seededRandom(SEED), count);
    const outcomes = await send(target, requests);
    expect(fuzzFailures(outcomes, ignore), `seed ${SEED}`).toEqual([]);
    expect(outcomes.length).toBe(requests.length);
    const health = await fetchIn(target, "/health");
    expect(health.status, `${name} /health after the fuzz`).toBe(200);
  }

  it("ark-api answers every malformed request below 500 and still serves a valid one", { timeout: 300_000 }, async () => {
    await fuzz("ark-api");
    expect((await json(arkApi.url, "POST", "/v1/namespaces", { name: CHECK_NAMESPACE })).status).toBe(200);
    const created = await json(arkApi.url, "POST", `/v1/namespaces/${CHECK_NAMESPACE}/agents`, { name: "after", prompt: "still here" });
    expect(created.status).toBe(200);
    expect((await json(arkApi.url, "GET", `/v1/namespaces/${CHECK_NAMESPACE}/agents/after`)).body).toMatchObject({ name: "after", prompt: "still here" });
  });

  it("ark-apiserver answers every malformed request below 500 and still serves a valid one", { timeout: 300_000 }, async () => {
    await fuzz("ark-apiserver");
    const target = { url: apiServer.url, ca: apiServer.caPem! };
    const auth = { authorization: `Bearer ${apiServer.token}` };
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "after" }, data: { k: "v" } };
    const created = await fetchIn(target, `/api/v1/namespaces/${CHECK_NAMESPACE}/configmaps`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(configMap) });
    expect(created.status, created.body).toBe(201);
    const read = await fetchIn(target, `/api/v1/namespaces/${CHECK_NAMESPACE}/configmaps/after`, { headers: auth });
    expect(JSON.parse(read.body)).toMatchObject({ data: { k: "v" } });
  });

  it("ark-mcp answers every malformed request below 500 and still serves a valid one", { timeout: 300_000 }, async () => {
    await fuzz("ark-mcp");
    const session = await openMcpSession(mcp.mcpUrl);
    const listed = await mcpCall(mcp.mcpUrl, session, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_agents", arguments: { namespace: CHECK_NAMESPACE } } });
    expect(listed).toContain("after");
  });

  it("ark-api-a2a answers every malformed request below 500 and still serves a valid one", { timeout: 300_000 }, async () => {
    await fuzz("ark-api-a2a");
    const card = await json(a2a.url, "GET", `/agent/${A2A_AGENT}/.well-known/agent-card.json`, undefined, { "a2a-version": "1.0" });
    expect(card.body).toMatchObject({ name: A2A_AGENT });
    const sent = await json(
      a2a.url,
      "POST",
      `/agent/${A2A_AGENT}/`,
      { jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: { messageId: "after", role: "ROLE_USER", parts: [{ text: "after the fuzz" }] }, configuration: { returnImmediately: true } } },
      { "a2a-version": "1.0" },
    );
    expect(sent.body).toMatchObject({ result: { task: { status: { state: expect.stringMatching(/TASK_STATE_(SUBMITTED|WORKING)/) } } } });
  });

  it("postgres-memory answers every malformed request below 500 and still serves a valid one", { timeout: 300_000 }, async () => {
    await fuzz("postgres-memory");
    const messages = [{ role: "user", content: "after the fuzz" }];
    expect((await json(memory.url, "PUT", "/messages/after-fuzz", { messages }, memoryAuth())).status).toBe(200);
    expect((await json(memory.url, "GET", "/messages/after-fuzz", undefined, memoryAuth())).body).toEqual({ messages });
  });

  it("the gateway answers every malformed request below 500 and still routes a valid one", { timeout: 300_000 }, async () => {
    await fuzz("localhost-gateway");
    expect((await json(gateway.url, "GET", `/api/v1/namespaces/${CHECK_NAMESPACE}/agents/after`)).body).toMatchObject({ prompt: "still here" });
    expect((await json(gateway.url, "GET", "/memory/messages/after-fuzz", undefined, memoryAuth())).body).toEqual({ messages: [{ role: "user", content: "after the fuzz" }] });
  });

  it("sent at least 5,000 malformed requests after the warm-up, and the heap after a GC stayed within its bound of the heap after the warm-up", async () => {
    expect(sent).toBeGreaterThanOrEqual(5_000);
    const heapAtEnd = await heapUsedAfterGc();
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    console.info(`[fuzz] ${sent} requests; heap after warm-up ${mib(heapAfterWarmUp)}, at the end ${mib(heapAtEnd)}`);
    expect(heapAtEnd - heapAfterWarmUp, `heap grew from ${mib(heapAfterWarmUp)} to ${mib(heapAtEnd)}`).toBeLessThan(HEAP_GROWTH_LIMIT);
  });
});

/** GET (or any request) through node's client, so the apiserver's CA is trusted. */
async function fetchIn(target: FuzzTarget, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  const [outcome] = await sendFuzzRequests(target, [{ kind: "junk-body", method: init.method ?? "GET", path, headers: Object.entries(init.headers ?? {}), ...(init.body ? { body: Buffer.from(init.body) } : {}) }], {
    concurrency: 1,
    bodyIdleMs: 5_000,
  });
  if (outcome?.status === undefined) throw new Error(`${path}: ${outcome?.error}`);
  return { status: outcome.status, body: outcome.body };
}

async function json(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" };

/** An initialized MCP session on ark-mcp, by hand (the SDK is ark-mcp's dependency, not this suite's). */
async function openMcpSession(url: string): Promise<string> {
  const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } } };
  const response = await fetch(url, { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(initialize) });
  await response.text();
  const session = response.headers.get("mcp-session-id");
  if (!session) throw new Error(`ark-mcp opened no session (${response.status})`);
  await (await fetch(url, { method: "POST", headers: { ...MCP_HEADERS, "mcp-session-id": session }, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).text();
  return session;
}

async function mcpCall(url: string, session: string, message: unknown): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { ...MCP_HEADERS, "mcp-session-id": session }, body: JSON.stringify(message) });
  return response.text();
}
