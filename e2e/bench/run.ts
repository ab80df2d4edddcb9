// pnpm bench — query throughput on the embedded defaults and distributed (PostgreSQL + NATS), reports in reports/.
// BENCH_MODES=embedded,distributed  BENCH_QUERIES=1000  BENCH_IN_FLIGHT=200  BENCH_WARMUP=5000  BENCH_LATENCY_QUERIES=200
// (the warm-up takes each service past its JIT compilation, as a long-running one is; ark-api gets as many through REST, at most 4,000)
// BENCH_SLOW_QUERIES=2000 BENCH_SLOW_LATENCY_MS=1000: queries created at once against a slow model, default worker settings (0 skips).
// Distributed needs DATABASE_URL and NATS_URL (skipped, and said so, without them). BENCH_CPU_PROF=dir: CPU profiles of the
// distributed stack's services (for the embedded stack, run this script with node --cpu-prof).
// BENCH_TELEMETRY_QUERIES=500 BENCH_TELEMETRY_ROUNDS=2: CPU per query with ARK_METRICS=false against metrics on (no OTLP
// endpoint either way), embedded stack; BENCH_TELEMETRY_QUERIES=0 skips it.
// BENCH_PEER=0 skips the peer (LangGraph.js, measured first in the same run; with PostgresSaver when DATABASE_URL is set).
// The queries are sent from a bench client process of its own (client.ts), as a user's client would be.
// The machine may be shared: absolute figures move with its load; the ratios against the peer, measured minutes apart
// in the same process, and CPU ms per query move much less.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { directModelLatencies } from "./drive.js";
import { startBenchMock } from "./mock.js";
import { measureLangGraph, type PeerResult } from "./langgraph-peer.js";
import { measureQueryThroughput, type ThroughputResult } from "./query-throughput.js";
import { REST_WARMUP_MAX } from "./rest.js";
import { percentiles } from "./stats.js";
import { distributedStack, embeddedStack } from "./stacks.js";
import { measureTelemetryCost, telemetryCostLines, type TelemetryCostResult } from "./telemetry-cost.js";

const modes = (process.env.BENCH_MODES ?? "embedded,distributed")
  .split(",")
  .map((m) => m.trim())
  .filter(Boolean);
const options = {
  queries: Number(process.env.BENCH_QUERIES ?? 1000),
  inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 200),
  warmup: Number(process.env.BENCH_WARMUP ?? 5000),
  latencyQueries: Number(process.env.BENCH_LATENCY_QUERIES ?? 200),
  slowQueries: Number(process.env.BENCH_SLOW_QUERIES ?? 2000),
  slowModelLatencyMs: Number(process.env.BENCH_SLOW_LATENCY_MS ?? 1000),
};
/** Issue 23's targets; every figure with one is marked met (✓) or missed (✗) in the report. */
const targets: Record<string, { qps: number; p50OverheadMs: number; timesPeer?: number }> = {
  distributed: { qps: 500, p50OverheadMs: 8 },
  embedded: { qps: 1000, p50OverheadMs: 3, timesPeer: 3 },
};
/** The peer the embedded stack's throughput is compared with (LangGraph without a checkpointer). */
const TARGET_PEER = "langgraph";
/** ark-api's `?wait` and SSE against the Kubernetes-API path of the same stack. */
const restTargets = { addedP50Ms: 2, throughputShare: 0.9 };
/** Slow model at default settings. */
const slowTargets = { makespanS: 3, heapKbPerQueryInFlight: 30 };

const mark = (met: boolean) => (met ? "✓" : "✗");

const results: ThroughputResult[] = [];
const skipped: string[] = [];
const peers: PeerResult[] = [];
if (process.env.BENCH_PEER !== "0") {
  const mock = await startBenchMock();
  try {
    const direct = percentiles(await directModelLatencies(mock.url, 300));
    peers.push(...(await measureLangGraph(mock.url, { ...options, postgresUrl: process.env.DATABASE_URL }, direct)));
  } finally {
    await mock.close();
  }
  for (const peer of peers) console.log(JSON.stringify(peer));
  if (!process.env.DATABASE_URL) skipped.push("langgraph+postgres: needs DATABASE_URL");
}
for (const mode of modes) {
  if (mode === "embedded") {
    results.push(await measureQueryThroughput(() => embeddedStack(), options));
  } else if (mode === "distributed") {
    const { DATABASE_URL, NATS_URL } = process.env;
    if (!DATABASE_URL || !NATS_URL) {
      skipped.push("distributed: needs DATABASE_URL and NATS_URL");
      continue;
    }
    results.push(await measureQueryThroughput(() => distributedStack(DATABASE_URL, NATS_URL), options));
  } else {
    throw new Error(`BENCH_MODES: unknown mode ${mode} (embedded, distributed)`);
  }
  console.log(JSON.stringify(results.at(-1)));
}

let telemetry: TelemetryCostResult | undefined;
const telemetryQueries = Number(process.env.BENCH_TELEMETRY_QUERIES ?? 500);
if (telemetryQueries > 0) {
  telemetry = await measureTelemetryCost({
    queries: telemetryQueries,
    inFlight: Math.min(options.inFlight, telemetryQueries),
    warmup: Math.min(options.warmup, telemetryQueries),
    rounds: Number(process.env.BENCH_TELEMETRY_ROUNDS ?? 2),
  });
  console.log(JSON.stringify(telemetry));
}

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const dir = join(import.meta.dirname, "..", "..", "reports");
await mkdir(dir, { recursive: true });
await writeFile(join(dir, `bench-query-throughput-${stamp}.json`), `${JSON.stringify({ options, results, peers, telemetry, skipped }, null, 2)}\n`);
await writeFile(join(dir, `bench-query-throughput-${stamp}.md`), markdown(results));
console.log(markdown(results));

function markdown(rows: ThroughputResult[]): string {
  const lines = [
    `# Query throughput (${new Date().toISOString()})`,
    "",
    `Throughput: ${options.queries} queries, ${options.inFlight} in flight, after ${options.warmup} warm-up queries (and ${Math.min(options.warmup, REST_WARMUP_MAX)} through ark-api before its figures); mock model with zero latency.`,
    `Added latency: ${options.latencyQueries} queries one at a time on the idle stack, minus a direct call to the mock (at ${options.inFlight} in flight a query mostly waits in line: ${options.inFlight} ÷ q/s).`,
    "",
    "| mode | q/s (target) | one at a time: query p50 / p99 ms | direct call p50 / p99 ms | added p50 / p99 ms (target p50) | at full load: query p50 / p99 ms | failed |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const t = targets[r.mode];
      const u = r.unloaded;
      const qps = t ? ` (≥${t.qps} ${mark(r.queriesPerSecond >= t.qps)})` : "";
      const added = t ? ` (≤${t.p50OverheadMs} ${mark(u.overheadMs.p50 <= t.p50OverheadMs)})` : "";
      return `| ${r.mode} | ${r.queriesPerSecond}${qps} | ${u.queryLatencyMs.p50} / ${u.queryLatencyMs.p99} | ${r.directModelCallMs.p50} / ${r.directModelCallMs.p99} | ${u.overheadMs.p50} / ${u.overheadMs.p99}${added} | ${r.queryLatencyMs.p50} / ${r.queryLatencyMs.p99} | ${r.failed + u.failed} |`;
    }),
    "",
    ...restLines(rows),
    ...slowLines(rows),
    ...peerLines(rows),
    ...(telemetry ? telemetryCostLines(telemetry) : []),
    ...rows.map((r) => `- ${r.mode}: ${r.description}; ${r.machine.cpus} CPUs, load ${r.machine.loadavg1m}${r.firstFailure ? `; first failure: ${r.firstFailure}` : ""}`),
    ...rows.map(
      (r) =>
        `- ${r.mode}: CPU ms per query: ${Object.entries(r.cpuMsPerQuery)
          .map(([part, ms]) => `${part} ${ms}`)
          .join(", ")}`,
    ),
    ...rows.map(
      (r) =>
        `- ${r.mode}: write requests to ark-apiserver per query (a List of Events is one; each Event is still its own write): ${Object.entries(r.writesPerQuery)
          .map(([write, count]) => `${write} ${count}`)
          .join(", ")}`,
    ),
    ...rows.map(
      (r) =>
        `- ${r.mode}: at full load p50 create → running ${r.stagesMs.createdToRunningP50} ms, running → finished ${r.stagesMs.runningToFinishedP50} ms; Kubernetes Events written ${r.kubeEvents.written} of ${r.kubeEvents.expected} ${mark(r.kubeEvents.written >= r.kubeEvents.expected)}`,
    ),
    ...timelineLines(rows),
    ...skipped.map((s) => `- skipped ${s}`),
    "",
  ];
  return lines.join("\n");
}

/** Where one query's time goes, one at a time, per mode side by side. */
function timelineLines(rows: ThroughputResult[]): string[] {
  const marks = rows[0]?.unloaded.timeline.map((t) => t.mark) ?? [];
  if (marks.length === 0) return [];
  return [
    "",
    "One query at a time, where its time goes (p50 ms from the create call; in brackets the p50 of each query's own step from the mark before; the run's events as a watch of the bus saw them, the create's answer and the final status as the bench client did):",
    "",
    `| mark | ${rows.map((r) => r.mode).join(" | ")} |`,
    `|---|${rows.map(() => "---|").join("")}`,
    ...marks.map(
      (m) =>
        `| ${m} | ${rows
          .map((r) => r.unloaded.timeline.find((t) => t.mark === m))
          .map((t) => (t && t.count > 0 ? `${t.fromCreateP50} (${t.sincePreviousP50})` : "—"))
          .join(" | ")} |`,
    ),
    "",
  ];
}

/** The peer's rows and ARK ÷ peer ratios (q/s: higher is better for ARK; added latency: ARK minus the peer, in ms). */
function peerLines(rows: ThroughputResult[]): string[] {
  if (peers.length === 0) return [];
  return [
    "",
    "Peer, same run, same mock, one model call per query:",
    "",
    "| peer | q/s | one at a time: p50 / p99 ms | added p50 / p99 ms | CPU ms per query | failed |",
    "|---|---|---|---|---|---|",
    ...peers.map(
      (p) =>
        `| ${p.peer} | ${p.queriesPerSecond} | ${p.unloaded.queryLatencyMs.p50} / ${p.unloaded.queryLatencyMs.p99} | ${p.unloaded.overheadMs.p50} / ${p.unloaded.overheadMs.p99} | ${p.cpuMsPerQuery.total} | ${p.failed} |`,
    ),
    "",
    "| ARK mode | vs | q/s ARK ÷ peer (target) | CPU ms per query ARK ÷ peer | added p50: ARK − peer ms |",
    "|---|---|---|---|---|",
    ...rows.flatMap((r) =>
      peers.map((p) => {
        const ratio = r.queriesPerSecond / p.queriesPerSecond;
        const times = targets[r.mode]?.timesPeer;
        const target = times !== undefined && p.peer === TARGET_PEER ? ` (≥${times}× ${mark(ratio >= times)})` : "";
        return `| ${r.mode} | ${p.peer} | ${ratio.toFixed(2)}×${target} | ${((r.cpuMsPerQuery.total ?? 0) / (p.cpuMsPerQuery.total || 1)).toFixed(2)}× | ${(r.unloaded.overheadMs.p50 - p.unloaded.overheadMs.p50).toFixed(2)} |`;
      }),
    ),
    "",
    ...peers.map((p) => `- ${p.peer}: ${p.description}`),
    "",
  ];
}

/**
 * ark-api's REST path against the Kubernetes-API path of the same stack (aim: within 2 ms one at a time, ≥ 90 % of its
 * q/s loaded), each figure marked against its aim; with CPU ms per query, steadier than q/s on a shared machine.
 */
function restLines(rows: ThroughputResult[]): string[] {
  if (rows.length === 0) return [];
  const cpu = (perQuery: Record<string, number>) => perQuery.total ?? 0;
  return [
    "",
    `Through ark-api (node's http client on keep-alive connections; a POST answered by ?wait= with the finished query, or, accepting text/event-stream, with its SSE event stream), against the Kubernetes-API path of the same stack measured alternately with it (one at a time in rounds of ten; loaded in ${rows[0]!.rest.loaded.rounds} rounds of ${rows[0]!.rest.loaded.queries} per path, the order reversed every other round); aim: one at a time p50 within ${restTargets.addedP50Ms} ms of it, loaded ≥ ${restTargets.throughputShare * 100} % of its q/s:`,
    "",
    "| mode | path | one at a time p50 / p99 ms | − Kubernetes path p50 ms (aim) | q/s at full load (Kubernetes path) | ÷ Kubernetes path q/s (aim) | CPU ms per query (Kubernetes path) | failed |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.flatMap((r) => {
      const k8s = r.unloaded.queryLatencyMs.p50;
      const paths = [
        { path: "?wait", unloaded: r.rest.unloaded.wait, loaded: r.rest.loaded.wait },
        { path: "SSE", unloaded: r.rest.unloaded.sse, loaded: r.rest.loaded.sse },
      ];
      return paths.map(({ path, unloaded, loaded }) => {
        const added = unloaded.p50 - k8s;
        const kube = r.rest.loaded.kube;
        const share = loaded.queriesPerSecond / kube.queriesPerSecond;
        return `| ${r.mode} | ${path} | ${unloaded.p50} / ${unloaded.p99} | ${added.toFixed(2)} (≤${restTargets.addedP50Ms} ${mark(added <= restTargets.addedP50Ms)}) | ${loaded.queriesPerSecond} (${kube.queriesPerSecond}) | ${(share * 100).toFixed(0)} % (≥${restTargets.throughputShare * 100} % ${mark(share >= restTargets.throughputShare)}) | ${cpu(loaded.cpuMsPerQuery)} (${cpu(kube.cpuMsPerQuery)}) | ${loaded.failed} |`;
      });
    }),
    "",
    ...rows.map(
      (r) =>
        `- ${r.mode} REST: one at a time failed ${r.rest.unloaded.failed}; CPU ms per query loaded, ?wait: ${Object.entries(r.rest.loaded.wait.cpuMsPerQuery)
          .map(([part, ms]) => `${part} ${ms}`)
          .join(", ")}; SSE: ${Object.entries(r.rest.loaded.sse.cpuMsPerQuery)
          .map(([part, ms]) => `${part} ${ms}`)
          .join(", ")}`,
    ),
    ...rows.map(
      (r) =>
        `- ${r.mode} REST: requests to ark-apiserver per query loaded (writes, gets and lists; the Kubernetes path / ?wait / SSE): ${(["kube", "wait", "sse"] as const)
          .map((path) =>
            Object.entries(r.rest.loaded[path].apiRequestsPerQuery)
              .map(([request, count]) => `${request} ${count}`)
              .join(", "),
          )
          .join(" / ")}`,
    ),
  ];
}

/** Slow models at default settings (aim: makespan ≤ 3 s for 2,000 at 1 s; ≤ 30 KB heap per query in flight). */
function slowLines(rows: ThroughputResult[]): string[] {
  const slow = rows.filter((r) => r.slowModel);
  if (slow.length === 0) return [];
  return [
    "",
    `Slow model: ${options.slowQueries} queries created at once, the model answering in ${options.slowModelLatencyMs} ms, default worker settings (WORKER_CONCURRENCY=auto):`,
    "",
    `| mode | makespan s (target ≤${slowTargets.makespanS}) | last create answered / half finished, s | most running at once | heap KB per query in flight (target ≤${slowTargets.heapKbPerQueryInFlight}, distributed workers) | Kubernetes Events written | failed |`,
    "|---|---|---|---|---|---|---|",
    ...slow.map((r) => {
      const s = r.slowModel!;
      const makespanS = s.makespanMs / 1000;
      // The target is the distributed stack's workers' (issue 23); the embedded figure is the whole process, shown without a mark.
      const heapMark = r.mode === "distributed" ? mark((s.heapKbPerQueryInFlight ?? Infinity) <= slowTargets.heapKbPerQueryInFlight) : "(whole process)";
      const heap = s.heapKbPerQueryInFlight === undefined ? "n/a (too few running)" : `${s.heapKbPerQueryInFlight} at ${s.heapReadAtRunning} in flight ${heapMark}`;
      const events = s.kubeEvents ? `${s.kubeEvents.written} of ${s.kubeEvents.expected} ${mark(s.kubeEvents.written >= s.kubeEvents.expected)}` : "n/a";
      return `| ${r.mode} | ${makespanS.toFixed(2)} ${mark(makespanS <= slowTargets.makespanS)} | ${(s.createdMs / 1000).toFixed(2)} / ${(s.halfFinishedMs / 1000).toFixed(2)} | ${s.peakRunning} | ${heap} | ${events} | ${s.failed} |`;
    }),
    "",
    "- makespan: the first create to the last query seen finished, sent and watched from the bench's client process; the heap is read in a second batch of as many (each read stops the worker for a full GC).",
    "- heap per query in flight: the worker's heap after a full GC with the most runs in flight (`ark_worker_runs_in_flight`), less its heap before, ÷ those runs. Distributed: the worker processes alone (the target's measure); embedded: the whole process, so it includes the apiserver's and reconciler's share of each query, an upper bound for the worker.",
  ];
}
