import { setTimeout as sleep } from "node:timers/promises";
import { clockMs, type ClientMarks } from "./timeline.js";
import { createArkClient, createCoreClient, createInformerCache, createModelProvider, isFinishedQueryPhase, listRaw, queryKind, type CoreV1Event, type KubeConfig } from "./kit.js";

/** The Secret, the default Model at the mock and the agent every benchmark query targets. */
export async function createBenchAgent(kc: KubeConfig, namespace: string, mockUrl: string): Promise<void> {
  const core = createCoreClient(kc);
  const ark = createArkClient(kc);
  await core.ensureNamespace(namespace);
  await core.secrets.create({ metadata: { name: "mock-key", namespace }, stringData: { token: "sk-bench" } });
  await ark.models.create({
    metadata: { name: "default", namespace },
    spec: {
      type: "openai",
      model: { value: "mock-model" },
      config: { openai: { baseUrl: { value: mockUrl }, apiKey: { valueFrom: { secretKeyRef: { name: "mock-key", key: "token" } } } } },
    },
  });
  await ark.agents.create({ metadata: { name: "bench", namespace }, spec: { prompt: "You answer briefly." } });
}

/** Latency of the same chat completion the agent makes, straight to the mock (the baseline the overhead is over). */
export async function directModelLatencies(mockUrl: string, count: number): Promise<number[]> {
  const provider = createModelProvider({ type: "openai", model: "mock-model", baseUrl: mockUrl, apiKey: "sk-bench" });
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await provider.chat({
      messages: [
        { role: "system", content: "You answer briefly." },
        { role: "user", content: `question ${i}` },
      ],
    });
    samples.push(performance.now() - started);
  }
  return samples;
}

export interface DriveResult {
  latenciesMs: number[];
  /** From the create call to the watch seeing phase running (queries seen running only), and from there to finished. */
  toRunningMs: number[];
  runningToDoneMs: number[];
  /** Each query's create call, its answer and the watch seeing it finished, on the machine's monotonic clock (timeline.ts). */
  marks: ClientMarks[];
  wallMs: number;
  failed: number;
  firstFailure?: string;
}

interface Outcome {
  phase: string;
  message?: string;
  /** When the watch saw it finished (clockMs). */
  seenAt: number;
}

/** Creates `count` queries keeping `inFlight` unfinished at a time; each latency runs from the create call to the watch seeing it finished. */
export async function driveQueries(kc: KubeConfig, namespace: string, options: { count: number; inFlight: number; prefix: string }): Promise<DriveResult> {
  const ark = createArkClient(kc);
  const informer = createInformerCache(kc, queryKind, { namespace });
  const waiting = new Map<string, (outcome: Outcome) => void>();
  const runningAt = new Map<string, number>();
  const onChange = (query: { metadata: { name?: string }; status?: { phase?: string; message?: string } }) => {
    const phase = query.status?.phase;
    const seenAt = clockMs();
    if (phase === "running" && !runningAt.has(query.metadata.name ?? "")) runningAt.set(query.metadata.name ?? "", seenAt);
    if (isFinishedQueryPhase(phase)) waiting.get(query.metadata.name ?? "")?.({ phase, seenAt, ...(query.status?.message ? { message: query.status.message } : {}) });
  };
  informer.on("add", onChange);
  informer.on("update", onChange);
  await informer.start();
  const result: DriveResult = { latenciesMs: [], toRunningMs: [], runningToDoneMs: [], marks: [], wallMs: 0, failed: 0 };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.count) {
      const name = `${options.prefix}-${next++}`;
      const finished = new Promise<Outcome>((resolve) => waiting.set(name, resolve));
      const sentAt = clockMs();
      await ark.queries.create({ metadata: { name, namespace }, spec: { input: `question ${name}`, target: { type: "agent", name: "bench" } } });
      const answeredAt = clockMs();
      const outcome = await finished;
      const doneAt = clockMs();
      result.latenciesMs.push(doneAt - sentAt);
      result.marks.push({ name, sentAt, answeredAt, finishedAt: outcome.seenAt });
      const running = runningAt.get(name);
      if (running !== undefined) {
        result.toRunningMs.push(running - sentAt);
        result.runningToDoneMs.push(doneAt - running);
      }
      runningAt.delete(name);
      waiting.delete(name);
      if (outcome.phase !== "done") {
        result.failed += 1;
        result.firstFailure ??= `${name}: ${outcome.phase}: ${outcome.message ?? ""}`;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.inFlight }, lane));
  result.wallMs = performance.now() - started;
  await informer.stop();
  return result;
}

/**
 * Kubernetes Events about the named queries, once all `expected` are in or their count stops growing (they are written
 * in the background). Run in the client process (BenchClient.countEvents) and read as plain JSON: the count is the
 * bench's work, and client-node's typed list of thousands of Events costs more than the stack's answer.
 */
export async function countQueryEvents(kc: KubeConfig, namespace: string, prefix: string, expected: number): Promise<number> {
  let last = -1;
  for (let i = 0; i < 30; i++) {
    const list = await listRaw<CoreV1Event>(kc, `/api/v1/namespaces/${namespace}/events`);
    const count = list.items.filter((e) => e.involvedObject.kind === "Query" && e.involvedObject.name?.startsWith(`${prefix}-`)).length;
    // Listing thousands of Events costs the stack CPU that is counted: as few lists as it takes.
    if (count >= expected || count === last) return count;
    last = count;
    await sleep(1000);
  }
  return last;
}
