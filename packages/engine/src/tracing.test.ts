import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Role, type AgentCard, type Part } from "@a2a-js/sdk";
import { AgentEvent, DefaultRequestHandler, defaultServerCallContextBuilder, InMemoryTaskStore, JsonRpcTransportHandler, UnauthenticatedUser, type AgentExecutor } from "@a2a-js/sdk/server";
import { A2A_SERVER_NAME_ANNOTATION } from "@ark/types";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { type MockModel, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "./agent/loop.js";
import { HttpPools } from "./http/pools.js";
import { createOpenAIProvider } from "./providers/openai.js";
import type { ModelProvider } from "./providers/provider.js";
import { noopTool } from "./tools/builtin.js";
import { ToolRegistry } from "./tools/registry.js";
import type { Tool } from "./tools/tool.js";
import { loadHistory, saveExchange } from "./targets/target-memory.js";
import type { AgentResource, ResourceResolver } from "./targets/resolver.js";
import { runTarget } from "./targets/run-target.js";
import { McpClientPool } from "./tools/mcp/pool.js";
import { startTestMcpServer } from "./tools/mcp/test-mcp-server.js";
import { mcpTool } from "./tools/mcp/tool.js";
import type { SessionMemory } from "./memory/session-memory.js";
import { setSpanContent, TRACE_CONTENT_TRUNCATED_CHARS, withTraceContent, type TraceContentMode } from "./tracing.js";

let mock: MockModel;
let pools: HttpPools;
let provider: ModelProvider;
const exporter = new InMemorySpanExporter();

const failingTool: Tool = {
  kind: "http",
  definition: { type: "function", function: { name: "flaky", parameters: { type: "object", properties: {} } } },
  execute: () => Promise.reject(new Error("upstream said 503")),
};
const longInput = `secret question ${"x".repeat(3000)}`;

/** One agent run with a tool turn, under a content mode; its finished spans. */
async function tracedRun(mode: TraceContentMode): Promise<ReadableSpan[]> {
  exporter.reset();
  mock.script(
    {
      toolCalls: [
        { name: "noop", arguments: { message: "secret argument" } },
        { name: "flaky", arguments: {} },
      ],
      usage: { prompt_tokens: 40, completion_tokens: 9 },
    },
    { text: "secret answer", usage: { prompt_tokens: 60, completion_tokens: 3 } },
  );
  const agent = { namespace: "ns", name: "helper", prompt: "secret system prompt" };
  await context.with(withTraceContent(context.active(), mode), () =>
    trace.getTracer("test").startActiveSpan("query.run", async (root) => {
      await runAgent({ agent, provider, input: longInput, tools: new ToolRegistry([noopTool, failingTool]) });
      root.end();
    }),
  );
  return exporter.getFinishedSpans();
}

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const contentKeys = (spans: ReadableSpan[]) => spans.flatMap((s) => Object.keys(s.attributes).filter((k) => /prompt|completion|observation\.(input|output)/.test(k)));

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  mock = await startMockModel();
  pools = new HttpPools();
  provider = createOpenAIProvider({ type: "openai", model: "gpt-test", baseUrl: mock.url, apiKey: "k" }, { pools, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await pools.close();
  await mock.close();
});
beforeEach(() => mock.reset());

describe("run spans", () => {
  it("nest agent → model and tool calls with GenAI attributes; a failed tool is status ERROR with its reason", async () => {
    const spans = await tracedRun("none");
    const [root] = named(spans, "query.run");
    const [agent] = named(spans, "invoke_agent helper");
    expect(agent?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(agent?.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "ns/helper", "gen_ai.request.model": "gpt-test" });

    const chats = named(spans, "chat gpt-test");
    expect(chats.map((c) => c.parentSpanContext?.spanId)).toEqual([agent?.spanContext().spanId, agent?.spanContext().spanId]);
    expect(chats.map((c) => c.attributes)).toEqual([
      expect.objectContaining({ "gen_ai.system": "openai", "gen_ai.usage.input_tokens": 40, "gen_ai.usage.output_tokens": 9, "gen_ai.response.finish_reasons": ["tool_calls"] }),
      expect.objectContaining({ "gen_ai.system": "openai", "gen_ai.usage.input_tokens": 60, "gen_ai.usage.output_tokens": 3, "gen_ai.response.finish_reasons": ["stop"] }),
    ]);

    const [noop] = named(spans, "execute_tool noop");
    expect(noop?.attributes).toMatchObject({ "gen_ai.tool.name": "noop", "ark.tool.kind": "builtin", "ark.tool.outcome": "success" });
    expect(noop?.status.code).toBe(SpanStatusCode.UNSET);
    const [flaky] = named(spans, "execute_tool flaky");
    expect(flaky?.parentSpanContext?.spanId).toBe(agent?.spanContext().spanId);
    expect(flaky?.attributes).toMatchObject({ "gen_ai.tool.name": "flaky", "ark.tool.kind": "http", "ark.tool.outcome": "error" });
    expect(flaky?.status).toEqual({ code: SpanStatusCode.ERROR, message: "upstream said 503" });
  });

  it("ARK_TRACE_CONTENT none leaves no prompt, completion, argument or result text in any span", async () => {
    const spans = await tracedRun("none");
    expect(contentKeys(spans)).toEqual([]);
    const everything = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of ["secret question", "secret system prompt", "secret argument", "secret answer"]) expect(everything).not.toContain(secret);
  });

  it("truncated cuts each value at the limit and says how much is left; full keeps everything", async () => {
    const truncated = await tracedRun("truncated");
    const prompt = String(named(truncated, "chat gpt-test")[0]?.attributes["gen_ai.prompt"]);
    expect(prompt.startsWith('[{"role":"system","content":"secret system prompt"}')).toBe(true);
    expect(prompt).toMatch(new RegExp(`^.{${TRACE_CONTENT_TRUNCATED_CHARS}}… \\[\\d+ more characters\\]$`, "s"));
    expect(named(truncated, "chat gpt-test")[1]?.attributes["gen_ai.completion"]).toBe('{"role":"assistant","content":"secret answer"}');
    expect(named(truncated, "execute_tool noop")[0]?.attributes).toMatchObject({ "langfuse.observation.input": '{"message":"secret argument"}' });
    expect(named(truncated, "invoke_agent helper")[0]?.attributes["langfuse.observation.output"]).toBe("secret answer");

    const full = await tracedRun("full");
    const [firstChat] = named(full, "chat gpt-test");
    expect(JSON.parse(String(firstChat?.attributes["gen_ai.prompt"]))).toContainEqual({ role: "user", content: longInput });
    expect(named(full, "invoke_agent helper")[0]?.attributes["langfuse.observation.input"]).toBe(longInput);
  });

  it("a failed model call is status ERROR with the exception, on the call and on the agent", async () => {
    exporter.reset();
    mock.script({ error: { status: 400, message: "bad request from the provider" } });
    await expect(runAgent({ agent: { namespace: "ns", name: "helper" }, provider, input: "hi" })).rejects.toThrow(/bad request/);
    const spans = exporter.getFinishedSpans();
    for (const name of ["chat gpt-test", "invoke_agent helper"]) {
      const [span] = named(spans, name);
      expect(span?.status.code, name).toBe(SpanStatusCode.ERROR);
      expect(span?.status.message, name).toMatch(/bad request from the provider/);
      expect(
        span?.events.map((e) => e.name),
        name,
      ).toContain("exception");
    }
  });

  it("a call refused for want of approval is an execute_tool span with status ERROR", async () => {
    exporter.reset();
    const gated: Tool = {
      ...noopTool,
      definition: { ...noopTool.definition, function: { ...noopTool.definition.function, name: "delete_all" } },
      approval: { policy: {} as never, type: "builtin", needsApproval: () => true },
    };
    mock.script({ toolCalls: [{ name: "delete_all", arguments: {} }] }, "I could not.");
    await runAgent({ agent: { namespace: "ns", name: "helper" }, provider, input: "clean up", tools: new ToolRegistry([gated]) });
    const [refused] = named(exporter.getFinishedSpans(), "execute_tool delete_all");
    expect(refused?.attributes).toMatchObject({ "ark.tool.outcome": "error" });
    expect(refused?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.stringContaining("needs a person's approval") });
  });

  it("an MCP tool's request is a tools/call span under its execute_tool span", async () => {
    const server = await startTestMcpServer("http");
    const pool = new McpClientPool();
    try {
      exporter.reset();
      const echo = mcpTool({ pool, server: { url: server.url }, tool: { metadata: { name: "srv-echo" }, spec: { inputSchema: { type: "object" }, mcp: { mcpServerRef: { name: "srv" }, toolName: "echo" } } } });
      mock.script({ toolCalls: [{ name: "srv-echo", arguments: { text: "hi" } }] }, "done");
      await runAgent({ agent: { namespace: "ns", name: "helper" }, provider, input: "echo", tools: new ToolRegistry([echo]) });
      const spans = exporter.getFinishedSpans();
      const [call] = named(spans, "execute_tool srv-echo");
      const [request] = named(spans, "tools/call echo");
      expect(call?.attributes).toMatchObject({ "ark.tool.kind": "mcp", "ark.tool.outcome": "success" });
      expect(request?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
      expect(request?.attributes).toMatchObject({ "mcp.method.name": "tools/call", "gen_ai.tool.name": "echo" });
    } finally {
      await pool.closeAll();
      await server.stop();
    }
  });

  it("a target's memory read and write are spans with the memory, session and message count", async () => {
    exporter.reset();
    const memory: SessionMemory = { memory: "ns/default", sessionId: "s1", load: async () => [{ role: "user", content: "earlier" }], append: async () => undefined };
    await loadHistory(memory, undefined, () => undefined, false);
    await saveExchange(memory, [{ role: "user", content: "hello" }], [{ role: "assistant", content: "hi" }], undefined, () => undefined);
    const spans = exporter.getFinishedSpans();
    expect(named(spans, "memory.read")[0]?.attributes).toEqual({ "ark.memory": "ns/default", "ark.memory.session_id": "s1", "ark.memory.message_count": 1 });
    expect(named(spans, "memory.write")[0]?.attributes).toEqual({ "ark.memory": "ns/default", "ark.memory.session_id": "s1", "ark.memory.message_count": 2 });
  });

  it("builds no content without a recording span", () => {
    const idle = trace.wrapSpanContext({ traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 0 });
    setSpanContent(idle, { "gen_ai.prompt": () => expect.unreachable("content built for a span nobody records") });
  });
});

describe("a2a.call", () => {
  let remote: Server;
  let remoteUrl: string;
  const received: { path: string; traceparent: string | undefined }[] = [];

  beforeAll(async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    // A remote A2A agent: the SDK's JSON-RPC handler behind a bare HTTP server, answering each message directly.
    const text = (value: string): Part => ({ content: { $case: "text", value }, metadata: undefined, filename: "", mediaType: "text/plain" });
    const executor: AgentExecutor = {
      async execute(ctx, bus) {
        bus.publish(
          AgentEvent.message({
            messageId: `${ctx.taskId}-reply`,
            contextId: ctx.contextId,
            taskId: "",
            role: Role.ROLE_AGENT,
            parts: [text("Sunny in Chicago")],
            metadata: undefined,
            extensions: [],
            referenceTaskIds: [],
          }),
        );
        bus.finished();
      },
      async cancelTask() {},
    };
    const card = (): AgentCard => ({
      name: "Weather Agent",
      description: "Tells the weather",
      supportedInterfaces: [{ url: remoteUrl, protocolBinding: "JSONRPC", protocolVersion: "1.0", tenant: "" }],
      provider: undefined,
      version: "1.0.0",
      capabilities: { streaming: false, extensions: [] },
      securitySchemes: {},
      securityRequirements: [],
      defaultInputModes: ["text/plain"],
      defaultOutputModes: ["text/plain"],
      skills: [],
      signatures: [],
    });
    const rpc = new JsonRpcTransportHandler(new DefaultRequestHandler(card(), new InMemoryTaskStore(), executor));
    remote = createServer(async (req, res) => {
      const traceparent = req.headers.traceparent;
      received.push({ path: `${req.method} ${req.url}`, traceparent: typeof traceparent === "string" ? traceparent : undefined });
      if (req.method === "GET") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(card()));
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const ctx = defaultServerCallContextBuilder({ extensions: undefined, user: new UnauthenticatedUser(), headers, requestedVersion: headers["a2a-version"] ?? "1.0" });
      const answer = await rpc.handle(Buffer.concat(chunks).toString(), ctx);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
    remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    propagation.disable();
    remote.closeAllConnections();
    await new Promise((resolve) => remote.close(resolve));
  });

  it("an executionEngine a2a agent's call is an a2a.call span under the agent's target span, and the remote gets its traceparent", async () => {
    exporter.reset();
    const agent: AgentResource = {
      metadata: { name: "weather-agent", namespace: "ns", annotations: { [A2A_SERVER_NAME_ANNOTATION]: "weather" } },
      spec: { prompt: "You are Weather Agent.", executionEngine: { name: "a2a" } },
    };
    const resolver: ResourceResolver = {
      getAgent: async (_ns, name) => (name === "weather-agent" ? agent : undefined),
      getTeam: async () => undefined,
      getModel: async () => undefined,
      getTool: async () => undefined,
      resolveValue: async (source) => source.value ?? "",
      configValues: { getSecretValue: async () => undefined, getConfigMapValue: async () => undefined },
      getA2AServer: async (_ns, name) => (name === "weather" ? { address: remoteUrl, headers: {} } : undefined),
    };
    const outcome = await runTarget({ namespace: "ns", target: { type: "agent", name: "weather-agent" }, input: "Weather in Chicago?", resolver });
    expect(outcome).toMatchObject({ ok: true, content: "Sunny in Chicago" });

    const spans = exporter.getFinishedSpans();
    const [target] = named(spans, "target.run");
    const [call] = named(spans, "a2a.call");
    expect(call?.parentSpanContext?.spanId).toBe(target?.spanContext().spanId);
    expect(call?.spanContext().traceId).toBe(target?.spanContext().traceId);
    expect(call?.kind).toBe(SpanKind.CLIENT);
    expect(call?.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "ns/weather-agent", "ark.a2a.server": "weather" });

    // The JSON-RPC request carries the call's trace context: the remote agent's spans join the query's trace.
    const posts = received.filter((r) => r.path.startsWith("POST"));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.traceparent).toBe(`00-${call!.spanContext().traceId}-${call!.spanContext().spanId}-01`);
  });
});
