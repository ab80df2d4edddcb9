import { freePort } from "@ark/service-kit";
import { get as httpsGet } from "node:https";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteBusStreams } from "@ark/bus";
import { getFromArkApi, modelAgentQuery, natsTestNames, startMockModel, type MockModel } from "@ark/testing";
import { createTestDatabase, finishedQuery, testNats, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ready, startServiceProcess, type ServiceProcess } from "./bench/processes.js";
import { ark, hasKubectl, kubectl } from "./support/cli.js";

// The distributed mode (DATABASE_URL and NATS_URL set): ark-apiserver, an ark-controller reconciler, two
// ark-controller workers and ark-api, each its own process as deployed; driven with kubectl, read through ark-api and
// `ark query`; stopped and started again, the resources are still there.
// The stack's bus has stream and subject names of its own, so it never meets another run's jobs on the same NATS.
const CONTROLLER_SETTINGS = { LEADER_ELECTION: "false", QUERY_REFERENCE_WAIT: "30s" };

const canRun = Boolean(testPostgres() && testNats() && hasKubectl);
if (!canRun) console.warn("[@ark/e2e] distributed stack skipped: needs PostgreSQL, NATS and kubectl");

describe.skipIf(!canRun)("distributed stack: separate processes on PostgreSQL and NATS (e2e)", () => {
  let home: string;
  let database: TestDatabase;
  let model: MockModel;
  let ports: { apiserver: number; reconciler: number; workers: [number, number]; arkApi: number };
  let apiserverProcess: ServiceProcess | undefined;
  let clientProcesses: ServiceProcess[] = [];
  let arkApi: string;
  const kubeconfig = () => join(home, "kubeconfig");
  const clientKubeconfig = () => join(home, "clients.kubeconfig");
  const names = natsTestNames("e2e-distributed");
  const bus = { NATS_URL: testNats()?.url ?? "", NATS_STREAM_PREFIX: names.stream("E2E"), NATS_SUBJECT_PREFIX: names.subject() };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "ark-e2e-distributed-"));
    database = await createTestDatabase({ label: "e2e-distributed" });
    model = await startMockModel();
    ports = { apiserver: await freePort(), reconciler: await freePort(), workers: [await freePort(), await freePort()], arkApi: await freePort() };
    arkApi = `http://127.0.0.1:${ports.arkApi}`;
  });

  afterAll(async () => {
    await stopAll();
    await model?.close();
    await database?.drop();
    if (canRun) await deleteBusStreams(bus.NATS_URL, bus.NATS_STREAM_PREFIX);
    await rm(home, { recursive: true, force: true });
  });

  /**
   * First start: ark-apiserver first (it writes the kubeconfig the others need), then the reconciler, the workers and
   * ark-api side by side. A restart starts all five at once: the clients wait for the API as deployed pods do.
   */
  async function startAll(): Promise<void> {
    const first = !existsSync(clientKubeconfig());
    const apiserver = startServiceProcess("ark-apiserver", { PORT: String(ports.apiserver), ARK_HOME: home, DATABASE_URL: database.url }, async () => {
      return existsSync(kubeconfig()) && (await apiServerReady(kubeconfig()));
    });
    if (first) {
      apiserverProcess = await apiserver;
      // The clients keep the first kubeconfig: on a restart they start while ark-apiserver writes its own again.
      await copyFile(kubeconfig(), clientKubeconfig());
    }
    const common = { KUBECONFIG: clientKubeconfig(), ...bus };
    const controller = (role: string, port: number) => startServiceProcess("ark-controller", { ...common, ...CONTROLLER_SETTINGS, ARK_CONTROLLER_ROLES: role, PORT: String(port) }, () => ready(port));
    const started = await Promise.allSettled([
      controller("reconciler", ports.reconciler),
      controller("worker", ports.workers[0]),
      controller("worker", ports.workers[1]),
      startServiceProcess("ark-api", { ...common, PORT: String(ports.arkApi), ARK_API_AUTH: "none" }, () => ready(ports.arkApi)),
    ]);
    for (const result of started) if (result.status === "fulfilled") clientProcesses.push(result.value);
    if (!first) apiserverProcess = await apiserver;
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  }

  async function stopAll(): Promise<void> {
    // ark-api and the controllers first, ark-apiserver last (as a deployment drains).
    await Promise.all(clientProcesses.map((p) => p.stop()));
    clientProcesses = [];
    await apiserverProcess?.stop();
    apiserverProcess = undefined;
  }

  it("answers a kubectl-applied query through ark-api and `ark query`, and keeps the resources across a restart", { timeout: 300_000 }, async () => {
    await startAll();
    await writeFile(join(home, "stack.yaml"), modelAgentQuery(model.url, "what is ARK?"));
    kubectl(kubeconfig(), "apply", "-f", join(home, "stack.yaml"));

    const query = await finishedQuery(arkApi, "default", "e2e-q", { timeout: 60_000, interval: 250 });
    expect(query.status).toMatchObject({ phase: "done", response: { content: "mock: what is ARK?" } });
    const cliEnv = { ...process.env, ARK_SERVER: arkApi, ARK_HOME: home };
    const asked = await ark(["query", "agent/e2e-agent", "hello from the cli"], { cwd: home, env: cliEnv });
    expect({ code: asked.code, stdout: asked.stdout }).toEqual({ code: 0, stdout: "mock: hello from the cli\n" });
    expect(asked.stderr).toContain("▶ agent e2e-agent");
    // The runs happened in the worker processes (the reconciler has no worker role).
    const [first, second, reconciler] = await Promise.all([...ports.workers, ports.reconciler].map((port) => finishedRuns(port)));
    expect({ runs: (first!.completed ?? 0) + (second!.completed ?? 0), first, second, reconciler }).toMatchObject({ runs: 2, reconciler: {} });
    // The rest of docs/architecture.md §9.2 across processes: phases and event lag where the reconciler is, queue time,
    // bus lag and model tokens where the workers are (over NATS).
    const inWorkers = async (name: string, labels: Record<string, string> = {}) => (await Promise.all(ports.workers.map((port) => metricSum(port, name, labels)))).reduce((a, b) => a + b, 0);
    expect(await metricSum(ports.reconciler, "ark_queries_total", { phase: "done", target_type: "agent" })).toBe(2);
    expect(await metricSum(ports.reconciler, "ark_query_duration_seconds_count", { phase: "done" })).toBe(2);
    expect(await metricSum(ports.reconciler, "ark_bus_delivery_lag_seconds_count", { kind: "event" })).toBeGreaterThanOrEqual(2 * 3);
    expect(await metricSum(ports.reconciler, "ark_reconcile_duration_seconds_count", { controller: "query" })).toBeGreaterThanOrEqual(2);
    expect(await inWorkers("ark_query_queue_seconds_count", { target_type: "agent" })).toBe(2);
    expect(await inWorkers("ark_bus_delivery_lag_seconds_count", { kind: "run" })).toBe(2);
    expect(await inWorkers("ark_model_call_duration_seconds_count", { outcome: "success" })).toBe(2);
    expect(await inWorkers("ark_model_tokens_total", { direction: "output" })).toBeGreaterThan(0);

    await stopAll();
    for (const port of [ports.apiserver, ports.arkApi, ...ports.workers]) expect(await listening(port)).toBe(false);
    await startAll();

    expect(kubectl(kubeconfig(), "get", "agents,models", "-o", "name").trim().split("\n").sort()).toEqual(["agent.ark.mckinsey.com/e2e-agent", "model.ark.mckinsey.com/e2e-mock"]);
    expect((await getFromArkApi<{ status?: unknown }>(arkApi, "/v1/namespaces/default/queries/e2e-q")).status).toMatchObject({
      phase: "done",
      response: { content: "mock: what is ARK?" },
    });
    const again = await ark(["query", "agent/e2e-agent", "after the restart"], { cwd: home, env: cliEnv });
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: "mock: after the restart\n" });
  });
});

/** GET /readyz on the server of a kubeconfig, trusting its CA (polled often: cheaper than running kubectl). */
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

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The sum of a controller's samples of `name` whose labels include `labels`, from its /metrics. */
async function metricSum(port: number, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const [, found, value] of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, "gm"))) {
    if (Object.entries(labels).every(([key, want]) => found!.includes(`${key}="${want}"`))) sum += Number(value);
  }
  return sum;
}

/** Query runs a controller finished, by outcome, from its /metrics (ark_query_runs_total). */
async function finishedRuns(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const runs: Record<string, number> = {};
  for (const [, labels, value] of text.matchAll(/^ark_query_runs_total\{([^}]*)\} (\d+)/gm)) {
    const outcome = /outcome="([^"]+)"/.exec(labels!)?.[1];
    if (outcome) runs[outcome] = (runs[outcome] ?? 0) + Number(value);
  }
  return runs;
}
