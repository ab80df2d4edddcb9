import { freePort } from "@ark/service-kit";
import { get as httpsGet } from "node:https";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteBusStreams } from "@ark/bus";
import { natsTestNames, startMockModel, type MockModel } from "@ark/testing";
import { createTestDatabase, testNats, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ready, startServiceProcess, type ServiceProcess } from "./bench/processes.js";
import { hasKubectl, kubectl } from "./support/cli.js";
import { startOtlpReceiver, type ReceivedSpan } from "./support/otlp-receiver.js";

// One trace per query across separate processes (docs/architecture.md §9): the caller's traceparent on POST /queries
// reaches ark-api, ark-apiserver, the reconciler (over the Query's annotation) and a worker (over the NATS job's headers).
const canRun = Boolean(testPostgres() && testNats() && hasKubectl);
if (!canRun) console.warn("[@ark/e2e] observability skipped: needs PostgreSQL, NATS and kubectl");

const ENGINE_TOKEN = "observability-engine-token";

const manifests = (mockUrl: string, executorUrl: string) => `apiVersion: ark.mckinsey.com/v1prealpha1
kind: ExecutionEngine
metadata: { name: obs-engine }
spec:
  type: langchain
  address: { value: "${executorUrl}" }
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: { name: obs-engine-agent }
spec:
  prompt: You answer briefly.
  modelRef: { name: obs-mock }
  executionEngine: { name: obs-engine }
  tools: [{ type: built-in, name: noop }]
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: { name: obs-mock }
spec:
  type: openai
  model: { value: mock-model }
  config:
    openai:
      baseUrl: { value: "${mockUrl}" }
      apiKey: { value: not-a-real-key }
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: { name: obs-agent }
spec:
  prompt: You answer briefly.
  modelRef: { name: obs-mock }
  tools: [{ type: built-in, name: noop }]
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Team
metadata: { name: obs-team }
spec:
  strategy: sequential
  members: [{ type: agent, name: obs-agent }]
`;

describe.skipIf(!canRun)("observability: one trace per query across the distributed stack (e2e)", () => {
  let home: string;
  let database: TestDatabase;
  let model: MockModel;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  const processes: ServiceProcess[] = [];
  const names = natsTestNames("e2e-observability");
  const bus = { NATS_URL: testNats()?.url ?? "", NATS_STREAM_PREFIX: names.stream("OBS"), NATS_SUBJECT_PREFIX: names.subject() };
  let arkApi: string;
  let ports: { apiserver: number; reconciler: number; worker: number; arkApi: number; executor: number };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "ark-e2e-obs-"));
    database = await createTestDatabase({ label: "e2e-observability" });
    model = await startMockModel();
    receiver = await startOtlpReceiver();
    ports = { apiserver: await freePort(), reconciler: await freePort(), worker: await freePort(), arkApi: await freePort(), executor: await freePort() };
    arkApi = `http://127.0.0.1:${ports.arkApi}`;
    // The worker exports with the default protocol (http/protobuf), the others with http/json.
    const otel = (service: string) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      ...(service.endsWith("worker") ? {} : { OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
      OTEL_BSP_SCHEDULE_DELAY: "100",
      OTEL_SERVICE_NAME: service,
      ARK_TRACE_CONTENT: "none",
    });
    const kubeconfig = join(home, "kubeconfig");
    processes.push(
      await startServiceProcess(
        "ark-apiserver",
        { PORT: String(ports.apiserver), ARK_HOME: home, DATABASE_URL: database.url, ...otel("ark-apiserver") },
        async () => existsSync(kubeconfig) && (await apiServerReady(kubeconfig)),
      ),
    );
    const common = { KUBECONFIG: kubeconfig, ENGINE_TOKEN, ...bus };
    const controller = (role: string, port: number) =>
      startServiceProcess("ark-controller", { ...common, LEADER_ELECTION: "false", ARK_CONTROLLER_ROLES: role, PORT: String(port), ...otel(`ark-controller-${role}`) }, () => ready(port));
    processes.push(
      ...(await Promise.all([
        controller("reconciler", ports.reconciler),
        controller("worker", ports.worker),
        startServiceProcess("ark-api", { ...common, PORT: String(ports.arkApi), ARK_API_AUTH: "none", ...otel("ark-api") }, () => ready(ports.arkApi)),
        startServiceProcess("executor-langchain", { PORT: String(ports.executor), ENGINE_TOKEN, ...otel("executor-langchain") }, () => ready(ports.executor)),
      ])),
    );
    await writeFile(join(home, "stack.yaml"), manifests(model.url, `http://127.0.0.1:${ports.executor}`));
    kubectl(kubeconfig, "apply", "-f", join(home, "stack.yaml"));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.slice(1).map((p) => p.stop()));
    await processes[0]?.stop();
    await model?.close();
    await receiver?.close();
    await database?.drop();
    if (canRun) await deleteBusStreams(bus.NATS_URL, bus.NATS_STREAM_PREFIX);
    await rm(home, { recursive: true, force: true });
  });

  it("links ark-api, ark-apiserver, the reconciler and the worker under the caller's trace id", { timeout: 120_000 }, async () => {
    // By the conversation, not by order: the Model's availability probe calls the model too.
    model.setDefault((request) =>
      request.lastUserText !== "secret prompt words"
        ? "ok"
        : request.messages.some((m) => m.role === "tool")
          ? { text: "secret answer words", usage: { prompt_tokens: 23, completion_tokens: 5 } }
          : {
              toolCalls: [
                { name: "noop", arguments: { message: "secret tool words" } },
                { name: "missing", arguments: {} },
              ],
              usage: { prompt_tokens: 11, completion_tokens: 7 },
            },
    );
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const callerSpan = "b7ad6b7169203331";
    const response = await fetch(`${arkApi}/v1/namespaces/default/queries?wait=60s`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ name: "obs-q", input: "secret prompt words", target: { type: "team", name: "obs-team" } }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: { phase: string } }).status.phase).toBe("done");

    const spansOf = () => receiver.spans.filter((s) => s.traceId === traceId);
    await expect.poll(() => spansOf().map((s) => s.name), { timeout: 20_000, interval: 100 }).toContain("query.run");
    await expect.poll(() => spansOf().map((s) => s.name), { timeout: 20_000, interval: 100 }).toContain("query.enqueue");
    // Each process exports its batch on its own schedule: wait for the apiserver's too (a loaded CI machine is slow),
    // then give the worker's last batch a moment.
    await expect.poll(() => spansOf().some((s) => s.service === "ark-apiserver" && s.name.startsWith("POST ")), { timeout: 20_000, interval: 100 }).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const spans = spansOf();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const find = (service: string, name: string | RegExp) => {
      const span = spans.find((s) => s.service === service && (typeof name === "string" ? s.name === name : name.test(s.name)));
      expect(span, `${service} span ${String(name)} in ${spans.map((s) => `${s.service}:${s.name}`).join(", ")}`).toBeDefined();
      return span!;
    };

    const post = find("ark-api", "POST /v1/namespaces/:namespace/queries");
    expect(post.parentSpanId).toBe(callerSpan);
    const create = find("ark-apiserver", /^POST /);
    expect(parentOf(create)?.service).toBe("ark-api");
    const enqueue = find("ark-controller-reconciler", "query.enqueue");
    expect(enqueue.parentSpanId).toBe(post.spanId);
    expect(enqueue.attributes).toMatchObject({ "ark.query.namespace": "default", "ark.query.name": "obs-q" });
    const run = find("ark-controller-worker", "query.run");
    expect(run.parentSpanId).toBe(enqueue.spanId);
    expect(run.protocol).toBe("http/protobuf");
    expect(post.protocol).toBe("http/json");

    // Inside the run: target → team turn → agent → model calls and tool calls, each the child of the one before.
    const worker = spans.filter((s) => s.service === "ark-controller-worker");
    const childrenOf = (parent: ReceivedSpan, name: string | RegExp) => worker.filter((s) => s.parentSpanId === parent.spanId && (typeof name === "string" ? s.name === name : name.test(s.name)));
    const only = (parent: ReceivedSpan, name: string | RegExp) => {
      const found = childrenOf(parent, name);
      expect(found, `one ${String(name)} under ${parent.name}; the run's spans: ${worker.map((s) => s.name).join(", ")}`).toHaveLength(1);
      return found[0]!;
    };
    const target = only(run, "target.run");
    expect(target.attributes).toMatchObject({ "ark.target.type": "team", "ark.target.name": "obs-team" });
    const turn = only(target, "team.turn");
    expect(turn.attributes).toMatchObject({ "ark.team": "default/obs-team", "ark.team.turn": 0, "ark.team.member": "agent/obs-agent" });
    const agent = only(turn, "invoke_agent obs-agent");
    expect(agent.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "default/obs-agent" });

    const chats = childrenOf(agent, "chat mock-model");
    expect(chats).toHaveLength(2);
    const llm = { "gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "mock-model" };
    expect(chats.map((c) => c.attributes)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ...llm, "gen_ai.usage.input_tokens": 11, "gen_ai.usage.output_tokens": 7, "gen_ai.response.finish_reasons": ["tool_calls"] }),
        expect.objectContaining({ ...llm, "gen_ai.usage.input_tokens": 23, "gen_ai.usage.output_tokens": 5, "gen_ai.response.finish_reasons": ["stop"] }),
      ]),
    );
    const noop = only(agent, "execute_tool noop");
    expect(noop.attributes).toMatchObject({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "noop", "ark.tool.outcome": "success" });
    expect(noop.status.code ?? 0).not.toBe(2);
    const missing = only(agent, "execute_tool missing");
    expect(missing.attributes).toMatchObject({ "gen_ai.tool.name": "missing", "ark.tool.outcome": "error" });
    // Status ERROR (2) with the reason.
    expect(missing.status).toMatchObject({ code: 2, message: "tool missing not found" });

    // Every span but the caller's root has its parent in the trace.
    for (const span of spans) if (span.parentSpanId !== callerSpan) expect(parentOf(span), `${span.service}:${span.name}`).toBeDefined();
    // ARK_TRACE_CONTENT=none: no prompt or completion text anywhere.
    const everything = JSON.stringify(receiver.spans);
    for (const secret of ["secret prompt words", "secret answer words", "secret tool words", "You answer briefly"]) expect(everything).not.toContain(secret);
    for (const span of receiver.spans)
      expect(
        Object.keys(span.attributes).filter((key) => /prompt|completion|input$|output$/.test(key)),
        `${span.service}:${span.name}`,
      ).toEqual([]);
  });

  it("follows an agent run by an execution engine into executor-langchain and back through its tool callback", { timeout: 120_000 }, async () => {
    model.setDefault((request) =>
      request.lastUserText !== "engine words" ? "ok" : request.messages.some((m) => m.role === "tool") ? "engine answer" : { toolCalls: [{ name: "noop", arguments: { message: "via the callback" } }] },
    );
    const traceId = "2af7651916cd43dd8448eb211c80319e";
    const response = await fetch(`${arkApi}/v1/namespaces/default/queries?wait=60s`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-b7ad6b7169203333-01` },
      body: JSON.stringify({ name: "obs-engine-q", input: "engine words", target: { type: "agent", name: "obs-engine-agent" } }),
    });
    const done = (await response.json()) as { status: { phase: string; message?: string } };
    expect(done.status.phase, done.status.message).toBe("done");
    const spansOf = () => receiver.spans.filter((s) => s.traceId === traceId);
    await expect.poll(() => spansOf().map((s) => s.name), { timeout: 20_000, interval: 100 }).toContain("query.run");
    await expect.poll(() => spansOf().map((s) => s.service), { timeout: 20_000, interval: 100 }).toContain("executor-langchain");
    await new Promise((r) => setTimeout(r, 500));
    const spans = spansOf();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const find = (service: string, name: string | RegExp) => {
      const span = spans.find((s) => s.service === service && (typeof name === "string" ? s.name === name : name.test(s.name)));
      expect(span, `${service} span ${String(name)} in ${spans.map((s) => `${s.service}:${s.name}`).join(", ")}`).toBeDefined();
      return span!;
    };
    const engineCall = find("ark-controller-worker", "execution_engine.call");
    expect(engineCall.attributes).toMatchObject({ "ark.execution_engine": "default/obs-engine", "gen_ai.agent.name": "default/obs-engine-agent" });
    expect(byId.get(engineCall.parentSpanId ?? "")?.name).toBe("target.run");
    const execute = find("executor-langchain", "POST /execute");
    expect(execute.parentSpanId).toBe(engineCall.spanId);
    // The tool runs in ARK: the worker's callback request continues the executor's trace, the tool span is its child.
    const tool = find("ark-controller-worker", "execute_tool noop");
    const callback = byId.get(tool.parentSpanId ?? "");
    expect(callback?.service).toBe("ark-controller-worker");
    expect(callback?.name).toMatch(/^POST /);
    expect(byId.get(callback?.parentSpanId ?? "")?.service).toBe("executor-langchain");
    for (const span of spans) if (span.parentSpanId !== "b7ad6b7169203333") expect(byId.get(span.parentSpanId ?? ""), `${span.service}:${span.name}`).toBeDefined();
  });

  it("marks a failed model call status ERROR, and the agent, target and run above it", { timeout: 120_000 }, async () => {
    model.setDefault((request) => (request.lastUserText === "please fail" ? { error: { status: 400, message: "the provider refused" } } : "ok"));
    const traceId = "1af7651916cd43dd8448eb211c80319d";
    const response = await fetch(`${arkApi}/v1/namespaces/default/queries?wait=60s`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-b7ad6b7169203332-01` },
      body: JSON.stringify({ name: "obs-fail", input: "please fail", target: { type: "agent", name: "obs-agent" } }),
    });
    expect(((await response.json()) as { status: { phase: string } }).status.phase).toBe("error");
    const spansOf = () => receiver.spans.filter((s) => s.traceId === traceId && s.service === "ark-controller-worker");
    await expect.poll(() => spansOf().map((s) => s.name), { timeout: 20_000, interval: 100 }).toContain("query.run");
    const spans = spansOf();
    const byName = (name: string) => spans.find((s) => s.name === name)!;
    const chain = ["chat mock-model", "invoke_agent obs-agent", "target.run", "query.run"].map(byName);
    for (const [child, parent] of chain.slice(0, -1).map((span, i) => [span, chain[i + 1]!] as const)) expect(child.parentSpanId, child.name).toBe(parent.spanId);
    for (const span of chain) {
      expect(span.status.code, span.name).toBe(2);
      expect(span.status.message, span.name).toContain("the provider refused");
    }
    expect(byName("query.run").attributes).toMatchObject({ "ark.query.outcome": "failed" });
  });
});

/** GET /readyz on the server of a kubeconfig, trusting its CA. */
async function apiServerReady(path: string): Promise<boolean> {
  const config = parse(await readFile(path, "utf8")) as { clusters: { cluster: { server: string; "certificate-authority-data": string } }[] };
  const cluster = config.clusters[0]?.cluster;
  if (!cluster) return false;
  const ca = Buffer.from(cluster["certificate-authority-data"], "base64");
  return new Promise((resolve) => {
    const request = httpsGet(new URL("/readyz", cluster.server), { ca, timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}
