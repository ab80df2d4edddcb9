import { freePort } from "@ark/service-kit";
import { start as startArkApi, arkApiConfig } from "@ark/ark-api";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { commandName, postgresBackends, processesNamed, processTree, type CpuGroups } from "./cpu.js";
import { fileExists, ready, startServiceProcess, type ServiceProcess } from "./processes.js";
import { markingArrivals, type SeenRunEvent } from "./timeline.js";
import {
  apiServerConfig,
  connectJetStreamBus,
  controllerConfig,
  createTestDatabase,
  jetstreamManager,
  type KubeConfig,
  loadConfig,
  loadKubeConfig,
  MemoryQueryBus,
  unixSocketKubeConfig,
  type QueryEvent,
  startApiServer,
  startController,
  streamNames,
} from "./kit.js";

/**
 * The bench keeps every query it creates in one namespace (as the default 720 h TTL would): room for more than the
 * 20,000 objects a namespace holds by default (100,000 of a kind), so larger BENCH_QUERIES or BENCH_WARMUP fit.
 */
const APISERVER_BENCH_ENV = { ARK_APISERVER_MAX_OBJECTS_PER_NAMESPACE: "1000000", ARK_APISERVER_MAX_OBJECTS_PER_KIND: "1000000" };
/** ark-api as the benchmark calls it: one local client, no auth, no rate limit, streams enough for every lane. */
const ARK_API_BENCH_ENV = { ARK_API_AUTH: "none", RATE_LIMIT_PER_MINUTE: "0", MAX_STREAMS_PER_PRINCIPAL: "10000" };

export interface BenchStack {
  mode: "embedded" | "distributed";
  description: string;
  kc: KubeConfig;
  /** The kubeconfig `kc` was loaded from (for the bench client's own process). */
  kubeconfigPath: string;
  /** ark-api (auth off, no rate limit) on the same bus, for the REST figures. */
  arkApiUrl: string;
  /** Where the stack's CPU time goes, by part. */
  cpu: CpuGroups;
  /** /metrics of the services a scraper reaches without a token (the embedded stack's controller and ark-api). */
  metricsUrls?: string[];
  /**
   * The heap the worker holds after a full GC (the embedded stack's whole process, the sum of the distributed stack's
   * worker processes), and the runs in flight in the worker then (`ark_worker_runs_in_flight` from its /metrics).
   */
  workerHeap(): Promise<WorkerHeap>;
  /**
   * Calls the listener with every run event the stack's bus carries from now on, as a watch of it sees each arrive
   * (clockMs): in the embedded stack's process from its in-process bus, in the distributed stack from NATS, one hop
   * as the reconciler's. Resolves to the stop.
   */
  watchRunEvents(listener: (event: SeenRunEvent) => void): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

export interface WorkerHeap {
  heapUsedBytes: number;
  runsInFlight: number;
}

/** `ark_worker_runs_in_flight` of one ark-controller's /metrics. */
async function runsInFlight(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  // Summed over label sets (a registry may add default labels).
  const values = [...text.matchAll(/^ark_worker_runs_in_flight(?:\{[^}]*\})? (\S+)$/gm)].map((m) => Number(m[1]));
  if (values.length === 0) throw new Error(`${metricsUrl}: no ark_worker_runs_in_flight`);
  return values.reduce((a, b) => a + b, 0);
}

/** The embedded defaults, one process (as `ark dev`): ark-apiserver on the embedded PostgreSQL, controller with both roles on the in-process bus. */
export async function embeddedStack(env: Record<string, string> = {}): Promise<BenchStack> {
  const home = await mkdtemp(join(tmpdir(), "ark-bench-embedded-"));
  // Run as root, the embedded PostgreSQL runs as the postgres user, which must reach its data directory.
  await chmod(home, 0o755);
  const api = await startApiServer(loadConfig(apiServerConfig, { PORT: "0", ARK_HOME: home, LOG_LEVEL: "warn", ARK_APISERVER_SOCKET: join(home, "apiserver.sock"), ...APISERVER_BENCH_ENV, ...env }));
  const bus = new MemoryQueryBus<QueryEvent>();
  // As in `ark dev`: the controller in the apiserver's process calls and watches it in process;
  // BENCH_IN_PROCESS=0 sends every call over the socket, to compare.
  const kubeConfig = unixSocketKubeConfig({ socketPath: api.socketPath!, token: api.token, ...(process.env.BENCH_IN_PROCESS === "0" ? {} : { inProcess: api.inProcess }) });
  // The worker's concurrency is its default (WORKER_CONCURRENCY=auto), as a user's would be.
  const controller = await startController(loadConfig(controllerConfig, { PORT: "0", LOG_LEVEL: "warn", LEADER_ELECTION: "false", RECONCILE_CONCURRENCY: "50", ...env }), {
    kubeConfig,
    bus,
  });
  const arkApi = await startArkApi(loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL: "warn", ...ARK_API_BENCH_ENV, ...env }), { kubeConfig, bus });
  // The benchmark is a client of its own, with its own connections, over TLS as a user's would be.
  const kc = loadKubeConfig({ kubeconfigPath: api.kubeconfigPath });
  return {
    mode: "embedded",
    description: "one process: ark-apiserver (embedded PostgreSQL) + ark-controller (reconciler and worker, in-process API calls and watches) + in-process bus",
    kc,
    kubeconfigPath: api.kubeconfigPath,
    arkApiUrl: arkApi.url,
    metricsUrls: [`${controller.url}/metrics`, `${arkApi.url}/metrics`],
    async workerHeap() {
      const inFlight = await runsInFlight(`${controller.url}/metrics`);
      (globalThis as { gc?: () => void }).gc?.();
      return { heapUsedBytes: getHeapStatistics().used_heap_size, runsInFlight: inFlight };
    },
    async watchRunEvents(listener) {
      const stop = await bus.watchEvents(markingArrivals(listener));
      return async () => stop();
    },
    cpu: () => ({
      // The bench's own client work (the Events count, the slow-model section) runs here too; its queries come from client.ts's process.
      "apiserver+controller+ark-api": [process.pid],
      // PostgreSQL's processes only: the bench client's process is a child of this one too.
      "embedded PostgreSQL": processTree(process.pid).filter((pid) => pid !== process.pid && commandName(pid) === "postgres"),
    }),
    async stop() {
      await arkApi.stop();
      await controller.stop();
      await bus.close();
      await api.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/**
 * The distributed stack's services run as the image runs them, `node dist/main.js` (`pnpm bench` builds first);
 * BENCH_FROM_SOURCE=1 runs `src/main.ts` through tsx instead (no build needed, slower, more heap per closure).
 */
const fromDist = process.env.BENCH_FROM_SOURCE !== "1";

/** Worker processes of the distributed stack, as issue 23's figures take it. */
const DISTRIBUTED_WORKERS = 2;

/** Separate processes as deployed: ark-apiserver on PostgreSQL, a reconciler and two workers on NATS JetStream. */
export async function distributedStack(postgresUrl: string, natsUrl: string): Promise<BenchStack> {
  const home = await mkdtemp(join(tmpdir(), "ark-bench-distributed-"));
  const database = await createTestDatabase({ serverUrl: postgresUrl, label: "bench" });
  const apiPort = await freePort();
  const kubeconfig = join(home, "kubeconfig");
  const api = await startServiceProcess("ark-apiserver", { PORT: String(apiPort), ARK_HOME: home, DATABASE_URL: database.url, ...APISERVER_BENCH_ENV }, () => fileExists(kubeconfig), { fromDist });
  const id = Math.random().toString(36).slice(2, 8);
  const busEnv = { NATS_URL: natsUrl, NATS_STREAM_PREFIX: `BENCH_${id}`, NATS_SUBJECT_PREFIX: `bench.${id}` };
  const controllerEnv = { ...busEnv, KUBECONFIG: kubeconfig, LEADER_ELECTION: "false" };
  const reconcilerPort = await freePort();
  const reconciler = await startServiceProcess("ark-controller", { ...controllerEnv, PORT: String(reconcilerPort), ARK_CONTROLLER_ROLES: "reconciler", RECONCILE_CONCURRENCY: "50" }, () => ready(reconcilerPort), {
    fromDist,
  });
  const workers: ServiceProcess[] = [];
  const workerPorts: number[] = [];
  for (let i = 0; i < DISTRIBUTED_WORKERS; i++) {
    const workerPort = await freePort();
    workerPorts.push(workerPort);
    workers.push(await startServiceProcess("ark-controller", { ...controllerEnv, PORT: String(workerPort), ARK_CONTROLLER_ROLES: "worker" }, () => ready(workerPort), { heapProbe: true, fromDist }));
  }
  const arkApiPort = await freePort();
  const arkApi = await startServiceProcess("ark-api", { ...busEnv, KUBECONFIG: kubeconfig, PORT: String(arkApiPort), ...ARK_API_BENCH_ENV }, () => ready(arkApiPort), { fromDist });
  const kc = loadKubeConfig({ kubeconfigPath: kubeconfig });
  return {
    mode: "distributed",
    description: `${2 + DISTRIBUTED_WORKERS} processes: ark-apiserver (PostgreSQL), ark-controller reconciler, ${DISTRIBUTED_WORKERS} ark-controller workers; NATS JetStream bus`,
    kc,
    kubeconfigPath: kubeconfig,
    arkApiUrl: `http://127.0.0.1:${arkApiPort}`,
    async workerHeap() {
      const inFlight = await Promise.all(workerPorts.map((port) => runsInFlight(`http://127.0.0.1:${port}/metrics`)));
      const heaps = await Promise.all(workers.map((worker) => worker.heapUsedBytes()));
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      return { heapUsedBytes: sum(heaps), runsInFlight: sum(inFlight) };
    },
    async watchRunEvents(listener) {
      const bus = await connectJetStreamBus<QueryEvent>({ servers: natsUrl, streamPrefix: busEnv.NATS_STREAM_PREFIX, subjectPrefix: busEnv.NATS_SUBJECT_PREFIX });
      const stop = await bus.watchEvents(markingArrivals(listener));
      return async () => {
        stop();
        await bus.close();
      };
    },
    cpu: () => ({
      "ark-apiserver": processTree(api.child.pid ?? 0),
      reconciler: processTree(reconciler.child.pid ?? 0),
      workers: workers.flatMap((worker) => processTree(worker.child.pid ?? 0)),
      "PostgreSQL backends": postgresBackends(new URL(database.url).pathname.slice(1)),
      // The NATS server at NATS_URL when it runs on this machine (nothing else uses it during the bench).
      "NATS server": processesNamed("nats-server"),
      "ark-api": processTree(arkApi.child.pid ?? 0),
      "bench client": [process.pid],
    }),
    async stop() {
      await arkApi.stop();
      await Promise.all(workers.map((worker) => worker.stop()));
      await reconciler.stop();
      await api.stop();
      const bus = await connectJetStreamBus({ servers: natsUrl, streamPrefix: busEnv.NATS_STREAM_PREFIX, subjectPrefix: busEnv.NATS_SUBJECT_PREFIX });
      const jsm = await jetstreamManager(bus.nc);
      const names = streamNames(busEnv.NATS_STREAM_PREFIX);
      for (const stream of [names.runs, names.events, names.cancels]) await jsm.streams.delete(stream).catch(() => false);
      await bus.close();
      await database.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
