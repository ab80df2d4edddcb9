// The REST entry point users call: ark-api's POST …/queries answered by ?wait= and by the SSE event stream,
// over keep-alive HTTP (fetch), against the same stack and agent as the Kubernetes-API figures.
import { startCpuCount, type CpuGroups } from "./cpu.js";
import type { DriveResult } from "./drive.js";
import { percentiles, round, type Percentiles } from "./stats.js";

export interface RestResult {
  /** One at a time on the idle stack: POST to answer. */
  unloaded: { wait: Percentiles; sse: Percentiles; failed: number };
  /** `inFlight` at a time: q/s and CPU ms per query by part of the stack (as the Kubernetes path's), for ?wait= and SSE. */
  loaded: { queries: number; inFlight: number; wait: LoadedRun; sse: LoadedRun };
}

interface LoadedRun {
  queriesPerSecond: number;
  cpuMsPerQuery: Record<string, number>;
  failed: number;
}

const body = (name: string) => JSON.stringify({ name, input: `question ${name}`, target: { type: "agent", name: "bench" } });
const headers = { "content-type": "application/json" };

/** POST …?wait=60s: the finished Query in the answer; true when it finished done. */
async function viaWait(apiUrl: string, namespace: string, name: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/v1/namespaces/${namespace}/queries?wait=60s`, { method: "POST", headers, body: body(name) });
  const answer = (await response.json()) as { status?: { phase?: string } };
  return response.status === 200 && answer.status?.phase === "done";
}

/** POST, then GET …/events read to its end (the stream ends after the terminal event); true when it completed. */
async function viaSse(apiUrl: string, namespace: string, name: string): Promise<boolean> {
  const created = await fetch(`${apiUrl}/v1/namespaces/${namespace}/queries`, { method: "POST", headers, body: body(name) });
  await created.arrayBuffer();
  if (created.status !== 200) return false;
  const stream = await fetch(`${apiUrl}/v1/namespaces/${namespace}/queries/${name}/events`);
  const text = await stream.text();
  return text.includes("event: query.completed");
}

async function lanes(count: number, inFlight: number, run: (i: number) => Promise<boolean>): Promise<{ latenciesMs: number[]; failed: number; wallMs: number }> {
  const latenciesMs: number[] = [];
  let failed = 0;
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      const ok = await run(i).catch(() => false);
      latenciesMs.push(performance.now() - started);
      if (!ok) failed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { latenciesMs, failed, wallMs: performance.now() - started };
}

/** `count` queries `inFlight` at a time through `run`: q/s, and the stack's CPU per query while they ran. */
async function loadedRun(count: number, inFlight: number, cpu: CpuGroups, run: (i: number) => Promise<boolean>): Promise<LoadedRun> {
  const cpuUsed = startCpuCount(cpu);
  const result = await lanes(count, inFlight, run);
  const used = cpuUsed();
  const cpuMsPerQuery = Object.fromEntries(Object.entries(used).map(([part, ms]) => [part, round(ms / count)]));
  cpuMsPerQuery.total = round(Object.values(used).reduce((a, b) => a + b, 0) / count);
  return { queriesPerSecond: round((count / result.wallMs) * 1000), cpuMsPerQuery, failed: result.failed };
}

/** ?wait= and SSE loaded, then one at a time in rounds of ten: the Kubernetes path (`kubeRound`), ?wait=, SSE, and again. */
export async function measureRest(
  apiUrl: string,
  namespace: string,
  options: { queries: number; inFlight: number; warmup: number; latencyQueries: number; cpu: CpuGroups },
  kubeRound: (round: number) => Promise<DriveResult>,
): Promise<{ result: RestResult; kubePath: DriveResult }> {
  // ark-api has served nothing yet: its warm-up, half through each answer, as the Kubernetes path had one.
  const half = Math.ceil(options.warmup / 2);
  if (half > 0) {
    await lanes(half, Math.min(options.inFlight, half), (i) => viaWait(apiUrl, namespace, `rww-${i}`));
    await lanes(half, Math.min(options.inFlight, half), (i) => viaSse(apiUrl, namespace, `rsw-${i}`));
  }
  const loadedWait = await loadedRun(options.queries, options.inFlight, options.cpu, (i) => viaWait(apiUrl, namespace, `rw-${i}`));
  const loadedSse = await loadedRun(options.queries, options.inFlight, options.cpu, (i) => viaSse(apiUrl, namespace, `rsl-${i}`));
  const kubePath: DriveResult = { latenciesMs: [], toRunningMs: [], runningToDoneMs: [], wallMs: 0, failed: 0 };
  const wait: number[] = [];
  const sse: number[] = [];
  let failed = 0;
  for (let round = 0; round * 10 < options.latencyQueries; round++) {
    const kube = await kubeRound(round);
    kubePath.latenciesMs.push(...kube.latenciesMs);
    kubePath.toRunningMs.push(...kube.toRunningMs);
    kubePath.runningToDoneMs.push(...kube.runningToDoneMs);
    kubePath.wallMs += kube.wallMs;
    kubePath.failed += kube.failed;
    kubePath.firstFailure ??= kube.firstFailure;
    const viaWaitRound = await lanes(10, 1, (i) => viaWait(apiUrl, namespace, `rl-${round}-${i}`));
    const viaSseRound = await lanes(10, 1, (i) => viaSse(apiUrl, namespace, `rs-${round}-${i}`));
    wait.push(...viaWaitRound.latenciesMs);
    sse.push(...viaSseRound.latenciesMs);
    failed += viaWaitRound.failed + viaSseRound.failed;
  }
  return {
    kubePath,
    result: {
      unloaded: { wait: percentiles(wait), sse: percentiles(sse), failed },
      loaded: { queries: options.queries, inFlight: options.inFlight, wait: loadedWait, sse: loadedSse },
    },
  };
}
