// The REST entry point users call: ark-api's POST …/queries answered by ?wait= and by the SSE event stream,
// over keep-alive HTTP, against the same stack and agent as the Kubernetes-API figures.
import { Agent } from "node:http";
import { apiRequests, requestsPerQuery, requestsSince } from "./api-writes.js";
import type { BenchClient } from "./client.js";
import { startCpuCount, type CpuGroups } from "./cpu.js";
import type { DriveResult } from "./drive.js";
import { requestText } from "./http.js";
import type { KubeConfig } from "./kit.js";
import { percentiles, round, type Percentiles } from "./stats.js";

export interface RestResult {
  /** One at a time on the idle stack: POST to answer. */
  unloaded: { wait: Percentiles; sse: Percentiles; failed: number };
  /**
   * `inFlight` at a time: q/s and CPU ms per query by part of the stack, for ?wait=, SSE and the Kubernetes path they are
   * held against, measured alternately (`rounds` rounds of `queries` each, the order reversed every other round).
   */
  loaded: { queries: number; inFlight: number; rounds: number; kube: LoadedRun; wait: LoadedRun; sse: LoadedRun };
}

interface LoadedRun {
  queriesPerSecond: number;
  cpuMsPerQuery: Record<string, number>;
  /** ark-apiserver's requests per query (writes, gets and lists) by `verb resource`, whoever made them. */
  apiRequestsPerQuery: Record<string, number>;
  failed: number;
}

const body = (name: string) => JSON.stringify({ name, input: `question ${name}`, target: { type: "agent", name: "bench" } });
const sseAccept = { accept: "text/event-stream" };

/**
 * node's http client with pooled keep-alive connections, as the Kubernetes-path client (node's https through
 * @ark/kube) makes its calls: with `fetch` this process spent 0.07–0.41 CPU ms more per query than in the Kubernetes
 * path's rounds (session 21, e2e/bench/REPORT.md), on the cores the stack runs on, and the REST figures paid for it.
 */
const agent = new Agent({ keepAlive: true });

/** One POST of a JSON body; its status and the whole answer as text (an event stream is read to its end). */
function post(url: string, json: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(json);
  return requestText(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": payload.length, ...headers } }, payload);
}

/** POST …?wait=60s: the finished Query in the answer; true when it finished done. */
async function viaWait(apiUrl: string, namespace: string, name: string): Promise<boolean> {
  const { status, text } = await post(`${apiUrl}/v1/namespaces/${namespace}/queries?wait=60s`, body(name));
  const answer = JSON.parse(text) as { status?: { phase?: string } };
  return status === 200 && answer.status?.phase === "done";
}

/**
 * POST accepting text/event-stream: the answer is the query's event stream (as `GET …/events` gives it), read to its
 * end (it ends after the terminal event); true when it completed.
 */
async function viaSse(apiUrl: string, namespace: string, name: string): Promise<boolean> {
  const { status, text } = await post(`${apiUrl}/v1/namespaces/${namespace}/queries`, body(name), sseAccept);
  return status === 200 && text.includes("event: query.completed");
}

export type RestVia = "wait" | "sse";

export interface LaneResult {
  latenciesMs: number[];
  failed: number;
  wallMs: number;
}

/** `count` queries through ark-api, answered `via` ?wait= or SSE, `inFlight` at a time (the bench client process runs it). */
export function restLanes(apiUrl: string, namespace: string, run: { via: RestVia; count: number; inFlight: number; prefix: string }): Promise<LaneResult> {
  const via = run.via === "wait" ? viaWait : viaSse;
  return lanes(run.count, run.inFlight, (i) => via(apiUrl, namespace, `${run.prefix}-${i}`));
}

async function lanes(count: number, inFlight: number, run: (i: number) => Promise<boolean>): Promise<LaneResult> {
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

interface LoadedRound {
  count: number;
  wallMs: number;
  cpuMs: Record<string, number>;
  /** ark-apiserver's requests while they ran, by `verb resource`. */
  requests: Record<string, number>;
  failed: number;
}

/** `count` queries through `run`: its wall time, the stack's CPU and ark-apiserver's requests while they ran. */
async function loadedRound(count: number, cpu: CpuGroups, kc: KubeConfig, run: () => Promise<LaneResult>): Promise<LoadedRound> {
  const requestsBefore = await apiRequests(kc, { reads: true });
  const cpuUsed = startCpuCount(cpu);
  const result = await run();
  const cpuMs = cpuUsed();
  const requests = requestsSince(requestsBefore, await apiRequests(kc, { reads: true }));
  return { count, wallMs: result.wallMs, cpuMs, requests, failed: result.failed };
}

/** Rounds of one path together: q/s over their summed wall time, CPU ms per query by part. */
function loadedRun(rounds: LoadedRound[]): LoadedRun {
  const count = rounds.reduce((sum, r) => sum + r.count, 0);
  const wallMs = rounds.reduce((sum, r) => sum + r.wallMs, 0);
  const used: Record<string, number> = {};
  for (const r of rounds) for (const [part, ms] of Object.entries(r.cpuMs)) used[part] = (used[part] ?? 0) + ms;
  const cpuMsPerQuery = Object.fromEntries(Object.entries(used).map(([part, ms]) => [part, round(ms / count)]));
  cpuMsPerQuery.total = round(Object.values(used).reduce((a, b) => a + b, 0) / count);
  const requests: Record<string, number> = {};
  for (const r of rounds) for (const [key, n] of Object.entries(r.requests)) requests[key] = (requests[key] ?? 0) + n;
  const apiRequestsPerQuery = requestsPerQuery(requests, count);
  return { queriesPerSecond: round((count / wallMs) * 1000), cpuMsPerQuery, apiRequestsPerQuery, failed: rounds.reduce((sum, r) => sum + r.failed, 0) };
}

/** Loaded rounds of each path: a shared machine's speed drifts by tens of percent over minutes, so the paths alternate. */
const LOADED_ROUNDS = 2;
/** The most warm-up queries ark-api gets before its figures. */
export const REST_WARMUP_MAX = 4000;

/**
 * ?wait=, SSE and the Kubernetes path (`kubeLoaded`) loaded, alternately (A B C, C B A); then one at a time in rounds
 * of ten: the Kubernetes path (`kubeRound`), ?wait=, SSE, and again.
 */
export async function measureRest(
  apiUrl: string,
  namespace: string,
  options: { queries: number; inFlight: number; warmup: number; latencyQueries: number; cpu: CpuGroups; client: BenchClient; kc: KubeConfig },
  kubeLoaded: (prefix: string) => Promise<DriveResult>,
  kubeRound: (round: number) => Promise<DriveResult>,
  /** Called once the loaded rounds are done, before the first round one at a time. */
  beforeOneAtATime: () => Promise<void> = async () => {},
): Promise<{ result: RestResult; kubePath: DriveResult }> {
  const rest = (run: Parameters<BenchClient["rest"]>[2]) => options.client.rest(apiUrl, namespace, run);
  // ark-api has served nothing yet: its warm-up, half through each answer, as the Kubernetes path had one (at most
  // REST_WARMUP_MAX in all: the rest of the stack is warm by now, and these queries' Events count against the namespace's cap).
  const half = Math.ceil(Math.min(options.warmup, REST_WARMUP_MAX) / 2);
  if (half > 0) {
    await rest({ via: "wait", count: half, inFlight: Math.min(options.inFlight, half), prefix: "rww" });
    await rest({ via: "sse", count: half, inFlight: Math.min(options.inFlight, half), prefix: "rsw" });
  }
  const rounds: Record<"kube" | RestVia, LoadedRound[]> = { kube: [], wait: [], sse: [] };
  for (let at = 0; at < LOADED_ROUNDS; at++) {
    const order = (["kube", "wait", "sse"] as const).slice();
    if (at % 2 === 1) order.reverse();
    for (const path of order) {
      const prefix = `r${path}${at}`;
      const run = () => (path === "kube" ? kubeLoaded(prefix) : rest({ via: path, count: options.queries, inFlight: options.inFlight, prefix }));
      rounds[path].push(await loadedRound(options.queries, options.cpu, options.kc, run));
    }
  }
  await beforeOneAtATime();
  const kubePath: DriveResult = { latenciesMs: [], toRunningMs: [], runningToDoneMs: [], marks: [], wallMs: 0, failed: 0 };
  const wait: number[] = [];
  const sse: number[] = [];
  let failed = 0;
  for (let round = 0; round * 10 < options.latencyQueries; round++) {
    const kube = await kubeRound(round);
    kubePath.latenciesMs.push(...kube.latenciesMs);
    kubePath.toRunningMs.push(...kube.toRunningMs);
    kubePath.runningToDoneMs.push(...kube.runningToDoneMs);
    kubePath.marks.push(...kube.marks);
    kubePath.wallMs += kube.wallMs;
    kubePath.failed += kube.failed;
    kubePath.firstFailure ??= kube.firstFailure;
    const viaWaitRound = await rest({ via: "wait", count: 10, inFlight: 1, prefix: `rl-${round}` });
    const viaSseRound = await rest({ via: "sse", count: 10, inFlight: 1, prefix: `rs-${round}` });
    wait.push(...viaWaitRound.latenciesMs);
    sse.push(...viaSseRound.latenciesMs);
    failed += viaWaitRound.failed + viaSseRound.failed;
  }
  return {
    kubePath,
    result: {
      unloaded: { wait: percentiles(wait), sse: percentiles(sse), failed },
      loaded: { queries: options.queries, inFlight: options.inFlight, rounds: LOADED_ROUNDS, kube: loadedRun(rounds.kube), wait: loadedRun(rounds.wait), sse: loadedRun(rounds.sse) },
    },
  };
}
