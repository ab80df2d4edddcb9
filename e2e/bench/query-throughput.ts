// Benchmark (not a test): queries/s and the latency a query adds over a direct model call, through
// ark-apiserver + ark-controller + workers, against the mock model with zero latency.
import { cpus, loadavg } from "node:os";
import { apiRequests, requestsPerQuery, requestsSince } from "./api-writes.js";
import { startBenchClient } from "./client.js";
import { startCpuCount } from "./cpu.js";
import { createBenchAgent, directModelLatencies, type DriveResult } from "./drive.js";
import { startBenchMock } from "./mock.js";
import { measureRest, type RestResult } from "./rest.js";
import { measureSlowModelHeap, type SlowModelResult } from "./slow-model.js";
import type { BenchStack } from "./stacks.js";
import { percentiles, round, type Percentiles } from "./stats.js";
import { queryTimeline, runEventCollector, type TimelineMark } from "./timeline.js";

export interface ThroughputOptions {
  queries: number;
  inFlight: number;
  warmup: number;
  /** Queries run one at a time after the throughput run, for the latency a query adds on an idle stack. */
  latencyQueries: number;
  /** Queries created at once against the model answering in slowModelLatencyMs (0: skipped). */
  slowQueries: number;
  slowModelLatencyMs: number;
}

export interface ThroughputResult {
  mode: BenchStack["mode"];
  description: string;
  queries: number;
  inFlight: number;
  failed: number;
  firstFailure?: string;
  queriesPerSecond: number;
  /** Create to finished with `inFlight` queries in flight: mostly waiting in line (Little's law: inFlight ÷ q/s). */
  queryLatencyMs: Percentiles;
  directModelCallMs: Percentiles;
  /** One query at a time on the otherwise idle stack: create to finished, and that minus the direct call at the same percentile. */
  unloaded: {
    queries: number;
    failed: number;
    queryLatencyMs: Percentiles;
    overheadMs: { p50: number; p99: number };
    /** Where the time goes: the create's answer, the run's events as a watch of the bus saw them, the final status (timeline.ts). */
    timeline: TimelineMark[];
  };
  /** p50 of the create call to the watch seeing phase running, and of running to finished. */
  stagesMs: { createdToRunningP50: number; runningToFinishedP50: number };
  /** Kubernetes Events about the measured queries (QueryResolveStart, TargetExecutionComplete, QueryResolveComplete: 3 each), best effort under load. */
  kubeEvents: { written: number; expected: number };
  /** CPU ms per query by part of the stack (Linux), steadier than q/s on a machine shared with other work; counted until the Events are in. */
  cpuMsPerQuery: Record<string, number>;
  /** Successful write requests to ark-apiserver per query during the throughput run (a List of Events counts once), by verb and resource, and total. */
  writesPerQuery: Record<string, number>;
  /** The same agent through ark-api: POST …?wait= and POST accepting the SSE event stream, one at a time and at `inFlight`. */
  rest: RestResult;
  slowModel?: SlowModelResult;
  machine: { cpus: number; loadavg1m: number };
}

export async function measureQueryThroughput(startStack: (mockUrl: string) => Promise<BenchStack>, options: ThroughputOptions): Promise<ThroughputResult> {
  const mock = await startBenchMock();
  const stack = await startStack(mock.url);
  // The queries are sent and watched from a process of its own (client.ts), counted as the bench client's CPU.
  const client = await startBenchClient();
  const cpuGroups = () => {
    const groups = stack.cpu();
    return { ...groups, "bench client": [...(groups["bench client"] ?? []), client.pid] };
  };
  try {
    const namespace = "bench";
    await createBenchAgent(stack.kc, namespace, mock.url);
    const direct = percentiles(await directModelLatencies(mock.url, 300));
    if (options.warmup > 0) {
      // In a namespace of its own: its Events do not count against the bench namespace's cap (ARK_APISERVER_MAX_EVENTS_PER_NAMESPACE,
      // 50,000), which the later parts would otherwise reach and pay for in deletes.
      const warmNamespace = `${namespace}-warmup`;
      await createBenchAgent(stack.kc, warmNamespace, mock.url);
      await client.drive(stack.kubeconfigPath, warmNamespace, { count: options.warmup, inFlight: Math.min(options.inFlight, options.warmup), prefix: "warmup" });
      // The warm-up's Events are in before the counts start, so neither CPU nor writes carry them over.
      await client.countEvents(stack.kubeconfigPath, warmNamespace, "warmup", 3 * options.warmup);
    }
    const writesBefore = await apiRequests(stack.kc);
    const cpuUsed = startCpuCount(cpuGroups);
    const run = await client.drive(stack.kubeconfigPath, namespace, { count: options.queries, inFlight: options.inFlight, prefix: "q" });
    // Events are written in the background: the CPU count runs until they are all in, so it includes them.
    const events = await client.countEvents(stack.kubeconfigPath, namespace, "q", 3 * options.queries);
    const cpu = cpuUsed();
    const writes = requestsPerQuery(requestsSince(writesBefore, await apiRequests(stack.kc)), options.queries);
    const cpuMsPerQuery = Object.fromEntries(Object.entries(cpu).map(([part, ms]) => [part, round(ms / options.queries)]));
    cpuMsPerQuery.total = round(Object.values(cpu).reduce((a, b) => a + b, 0) / options.queries);
    const latency = percentiles(run.latenciesMs);
    // The one-at-a-time queries of the Kubernetes path (kubeRound's prefix below): their run events, from a watch of the
    // bus that runs only while queries go one at a time (not to load the stack during the loaded rounds).
    const runEvents = runEventCollector((name) => /^l\d+-/.test(name));
    let stopRunEvents: (() => Promise<void>) | undefined;
    // One at a time, the Kubernetes path and ark-api's alternate in rounds of ten: a shared machine's load drifts over minutes.
    const rest = await measureRest(
      stack.arkApiUrl,
      namespace,
      { queries: options.queries, inFlight: options.inFlight, warmup: options.warmup, latencyQueries: options.latencyQueries, cpu: cpuGroups, client, kc: stack.kc },
      (prefix) => client.drive(stack.kubeconfigPath, namespace, { count: options.queries, inFlight: options.inFlight, prefix }),
      (round) => client.drive(stack.kubeconfigPath, namespace, { count: 10, inFlight: 1, prefix: `l${round}` }),
      async () => {
        stopRunEvents = await stack.watchRunEvents(runEvents.listener);
      },
    ).finally(() => stopRunEvents?.());
    const alone = rest.kubePath;
    const aloneLatency = percentiles(alone.latenciesMs);
    let slowModel: SlowModelResult | undefined;
    if (options.slowQueries > 0) {
      await mock.setLatency(options.slowModelLatencyMs);
      // The makespan from the client process, then the heap in a second batch (its reads stop the worker for a full GC).
      const batch = await client.slowBatch(stack.kubeconfigPath, namespace, options.slowQueries, "slow");
      // Every Event of that burst is written before the next (none dropped, as under the throughput run's load).
      const slowEvents = await client.countEvents(stack.kubeconfigPath, namespace, "slow", 3 * options.slowQueries);
      const heap = await measureSlowModelHeap(stack.kc, namespace, { count: options.slowQueries, workerHeap: () => stack.workerHeap() });
      slowModel = { queries: options.slowQueries, modelLatencyMs: options.slowModelLatencyMs, ...batch, kubeEvents: { written: slowEvents, expected: 3 * options.slowQueries }, ...heap };
      await mock.setLatency(0);
    }
    return {
      mode: stack.mode,
      description: stack.description,
      queries: options.queries,
      inFlight: options.inFlight,
      failed: run.failed,
      ...(run.firstFailure ? { firstFailure: run.firstFailure } : {}),
      queriesPerSecond: round((options.queries / run.wallMs) * 1000),
      queryLatencyMs: latency,
      directModelCallMs: direct,
      unloaded: {
        queries: options.latencyQueries,
        failed: alone.failed,
        queryLatencyMs: aloneLatency,
        overheadMs: { p50: round(aloneLatency.p50 - direct.p50), p99: round(aloneLatency.p99 - direct.p99) },
        timeline: queryTimeline(alone.marks, runEvents.seen),
      },
      stagesMs: stages(run),
      kubeEvents: { written: events, expected: 3 * options.queries },
      cpuMsPerQuery,
      writesPerQuery: writes,
      rest: rest.result,
      ...(slowModel ? { slowModel } : {}),
      machine: { cpus: cpus().length, loadavg1m: round(loadavg()[0] ?? 0) },
    };
  } finally {
    await client.close();
    await stack.stop();
    await mock.close();
  }
}

function stages(run: DriveResult): ThroughputResult["stagesMs"] {
  return { createdToRunningP50: percentiles(run.toRunningMs).p50, runningToFinishedP50: percentiles(run.runningToDoneMs).p50 };
}
