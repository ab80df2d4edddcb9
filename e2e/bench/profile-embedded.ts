// `pnpm bench:profile`: a V8 CPU profile of the embedded stack (apiserver, controller and ark-api in this one process;
// the queries come from the bench's client process, as in `pnpm bench`) during a loaded run through the Kubernetes API, written to reports/ (open it in Chrome
// DevTools' Performance panel, or speedscope). BENCH_QUERIES, BENCH_IN_FLIGHT and BENCH_WARMUP as for `pnpm bench`;
// BENCH_PROFILE_VIA=wait or sse profiles the queries sent through ark-api (?wait= or SSE) instead of the Kubernetes API.
// Sample on a quiet machine: the profile's times are wall-clock, so under load a syscall that wakes another process
// (PostgreSQL) is charged the time that process ran.
import { mkdir, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { startBenchMock } from "./mock.js";
import { startBenchClient } from "./client.js";
import { createBenchAgent } from "./drive.js";
import { REST_WARMUP_MAX } from "./rest.js";
import { embeddedStack } from "./stacks.js";

const queries = Number(process.env.BENCH_QUERIES ?? 1000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 200);
const warmup = Number(process.env.BENCH_WARMUP ?? 5000);
// BENCH_HEAP_SAMPLING=1 also samples where the run allocates (a .heapprofile beside the CPU profile: what keeps the
// garbage collector busy).
const heapSampling = process.env.BENCH_HEAP_SAMPLING === "1";
const namespace = "bench";
const VIAS = ["kube", "wait", "sse"] as const;
const via = process.env.BENCH_PROFILE_VIA ?? "kube";
if (!isVia(via)) throw new Error(`BENCH_PROFILE_VIA: Invalid value: ${via} (kube, wait or sse)`);

const mock = await startBenchMock();
const stack = await embeddedStack();
const client = await startBenchClient();
try {
  await createBenchAgent(stack.kc, namespace, mock.url);
  if (warmup > 0) {
    await client.drive(stack.kubeconfigPath, namespace, { count: warmup, inFlight: Math.min(inFlight, warmup), prefix: "warmup" });
    // ark-api as warm as the rest when it is what is profiled (as `pnpm bench` warms it).
    const restWarmup = Math.min(warmup, REST_WARMUP_MAX);
    if (via !== "kube") await client.rest(stack.arkApiUrl, namespace, { via, count: restWarmup, inFlight: Math.min(inFlight, restWarmup), prefix: "rest-warmup" });
    await client.countEvents(stack.kubeconfigPath, namespace, "warmup", 3 * warmup);
  }
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  if (heapSampling) await session.post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const cpuBefore = process.cpuUsage();
  const run =
    via === "kube" ? await client.drive(stack.kubeconfigPath, namespace, { count: queries, inFlight, prefix: "q" }) : await client.rest(stack.arkApiUrl, namespace, { via, count: queries, inFlight, prefix: "q" });
  // Until the run's Events are in, as `pnpm bench` counts CPU.
  await client.countEvents(stack.kubeconfigPath, namespace, "q", 3 * queries);
  const cpu = process.cpuUsage(cpuBefore);
  const { profile } = await session.post("Profiler.stop");
  const heap = heapSampling ? (await session.post("HeapProfiler.stopSampling")).profile : undefined;
  session.disconnect();
  const dir = join(import.meta.dirname, "..", "..", "reports");
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = join(dir, `embedded-${via}-${stamp}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  if (heap) {
    const heapFile = join(dir, `embedded-${via}-${stamp}.heapprofile`);
    await writeFile(heapFile, JSON.stringify(heap));
    console.log(`allocation profile: ${heapFile}`);
  }
  const perQuery = (cpu.user + cpu.system) / 1000 / queries;
  console.log(
    `${via}: ${queries} queries, ${inFlight} in flight: ${Math.round((queries / run.wallMs) * 1000)} q/s, ${run.failed} failed, ${perQuery.toFixed(2)} CPU ms per query in this process (PostgreSQL not included)`,
  );
  console.log(`profile: ${file}`);
} finally {
  await client.close();
  await stack.stop();
  await mock.close();
}

function isVia(value: string): value is (typeof VIAS)[number] {
  return (VIAS as readonly string[]).includes(value);
}
