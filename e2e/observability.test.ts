import { get as httpsGet } from "node:https";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteBusStreams } from "@ark/bus";
import { natsTestNames, startMockModel, waitFor, type MockModel } from "@ark/testing";
import { createTestDatabase, testNats, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { freePort, ready, startServiceProcess, type ServiceProcess } from "./bench/processes.js";
import { hasKubectl, kubectl } from "./support/cli.js";
import { startOtlpReceiver, type ReceivedSpan } from "./support/otlp-receiver.js";

// One trace per query across separate processes (docs/architecture.md §9): the caller's traceparent on POST /queries
// reaches ark-api, ark-apiserver, the reconciler (over the Query's annotation) and a worker (over the NATS job's headers).
const canRun = Boolean(testPostgres() && testNats() && hasKubectl);
if (!canRun) console.warn("[@ark/e2e] observability skipped: needs PostgreSQL, NATS and kubectl");

const manifests = (mockUrl: string) => `apiVersion: ark.mckinsey.com/v1alpha1
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
  let ports: { apiserver: number; reconciler: number; worker: number; arkApi: number };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "ark-e2e-obs-"));
    database = await createTestDatabase({ label: "e2e-observability" });
    model = await startMockModel();
    receiver = await startOtlpReceiver();
    ports = { apiserver: await freePort(), reconciler: await freePort(), worker: await freePort(), arkApi: await freePort() };
    arkApi = `http://127.0.0.1:${ports.arkApi}`;
    const otel = (service: string) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "100",
      OTEL_SERVICE_NAME: service,
      ARK_TRACE_CONTENT: "none",
    });
    const kubeconfig = join(home, "kubeconfig");
    processes.push(
      await startServiceProcess("ark-apiserver", { PORT: String(ports.apiserver), ARK_HOME: home, DATABASE_URL: database.url, ...otel("ark-apiserver") }, async () =>
        existsSync(kubeconfig) && (await apiServerReady(kubeconfig)),
      ),
    );
    const common = { KUBECONFIG: kubeconfig, ...bus };
    const controller = (role: string, port: number) =>
      startServiceProcess("ark-controller", { ...common, LEADER_ELECTION: "false", ARK_CONTROLLER_ROLES: role, PORT: String(port), ...otel(`ark-controller-${role}`) }, () => ready(port));
    processes.push(
      ...(await Promise.all([
        controller("reconciler", ports.reconciler),
        controller("worker", ports.worker),
        startServiceProcess("ark-api", { ...common, PORT: String(ports.arkApi), ARK_API_AUTH: "none", ...otel("ark-api") }, () => ready(ports.arkApi)),
      ])),
    );
    await writeFile(join(home, "stack.yaml"), manifests(model.url));
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
    model.script({ toolCalls: [{ name: "noop", arguments: { message: "secret tool words" } }] }, { text: "secret answer words" });
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
    await waitFor(() => spansOf().some((s) => s.name === "query.run"), 20_000, () => `no query.run span: ${receiver.spans.map((s) => s.name).join(", ")}`);
    // The run ends before its last spans are exported; give the batch a moment.
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
    // Every span but the caller's root has its parent in the trace.
    for (const span of spans) if (span.parentSpanId !== callerSpan) expect(parentOf(span), `${span.service}:${span.name}`).toBeDefined();
    // ARK_TRACE_CONTENT=none: no prompt or completion text anywhere.
    const everything = JSON.stringify(receiver.spans);
    for (const secret of ["secret prompt words", "secret answer words", "secret tool words"]) expect(everything).not.toContain(secret);
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
