// Benchmark (not a test): LIST of 10k agents, GET, writes (CREATE, merge PATCH, PATCH /status) at 8-200 in
// flight, and watch delivery to 100 watchers ("base"); LIST, watch and memory with 100,000 stored objects ("scale").
// Run: pnpm --filter @ark/ark-apiserver bench  (DATABASE_URL, else the @ark/testing fallbacks)
// BENCH_SCENARIOS=base,scale picks the scenarios (default both); BENCH_AGENTS and BENCH_SCALE_OBJECTS their sizes.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:https";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTestDatabase, getTestPostgres } from "@ark/testing";
import { runScale, stats, type Stats } from "./scale.js";
import { startServerProcess } from "./server-process.js";
import { measureWatchDelivery } from "./watch-delivery.js";

const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? "base,scale").split(","));
const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const LIST_RUNS = 30;
const GETS = 1000;
const WATCHERS = 100;
const WATCH_EVENTS = 200;
const CREATES_VIA_API = 2000;
const WRITE_BATCH = 4000;
const BASE = "/apis/ark.mckinsey.com/v1alpha1/namespaces";

function agentBody(name: string, i: number) {
  return {
    apiVersion: "ark.mckinsey.com/v1alpha1",
    kind: "Agent",
    metadata: { name, labels: { app: "bench", shard: String(i % 10) } },
    spec: {
      description: `Benchmark agent number ${i}, answering questions about the weather in a given city.`,
      prompt: `You are agent ${i}. You answer weather questions briefly and precisely. `.repeat(8),
      modelRef: { name: "default" },
      tools: [
        { type: "custom", name: "get-coordinates" },
        { type: "custom", name: "get-forecast" },
        { type: "built-in", name: "noop" },
      ],
      parameters: [{ name: "city", value: "Chicago" }],
    },
  };
}

async function baseScenario(pg: { url: string; source: string }): Promise<{ json: Record<string, unknown>; md: string[] }> {
  const db = await createTestDatabase({ serverUrl: pg.url, label: "bench" });
  const home = await mkdtemp(join(tmpdir(), "ark-apiserver-bench-"));
  // The server runs in its own process, as in a deployment, so client work does not share its event loop.
  const server = await startServerProcess(home, db.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: server.caPem });
  const url = new URL(server.url);

  function call(method: string, path: string, body?: unknown, contentType = "application/json", accept = "application/json"): Promise<{ status: number; text: string }> {
    return new Promise((done, fail) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request({ host: url.hostname, port: url.port, path, method, agent, headers: { authorization: `Bearer ${server.token}`, accept, ...(payload ? { "content-type": contentType } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", fail);
      req.end(payload);
    });
  }

  async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
    const t0 = performance.now();
    const result = await work();
    return [performance.now() - t0, result];
  }

  interface WriteStats extends Stats {
    inFlight: number;
    perSecond: number;
  }

  /** `total` requests, `inFlight` at a time; each must answer `expected`. */
  async function writes(total: number, inFlight: number, send: (i: number) => Promise<{ status: number; text: string }>, expected = 200): Promise<WriteStats> {
    const samples: number[] = [];
    const t0 = performance.now();
    await inParallel(total, inFlight, async (i) => {
      const [ms, res] = await timed(() => send(i));
      if (res.status !== expected) throw new Error(`write failed: ${res.status} ${res.text}`);
      samples.push(ms);
    });
    return { ...stats(samples), inFlight, perSecond: Math.round(total / ((performance.now() - t0) / 1000)) };
  }

  async function inParallel(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await work(next++);
      }),
    );
  }

  try {
    console.log(`seeding ${AGENTS} agents…`);
    const createSamples: number[] = [];
    const viaApi = Math.min(AGENTS, CREATES_VIA_API);
    const seedStart = performance.now();
    await inParallel(viaApi, 8, async (i) => {
      const [ms, res] = await timed(() => call("POST", `${BASE}/default/agents`, agentBody(`agent-${String(i).padStart(5, "0")}`, i)));
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
      createSamples.push(ms);
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // The rest of the seed at 50 and 200 in flight (what a busy controller and many workers do).
    const concurrentCreates: Record<number, WriteStats> = {};
    let seeded = viaApi;
    for (const inFlight of [50, 200]) {
      const count = inFlight === 50 ? Math.floor((AGENTS - seeded) / 2) : AGENTS - seeded;
      const from = seeded;
      concurrentCreates[inFlight] = await writes(
        count,
        inFlight,
        (j) => {
          const i = from + j;
          return call("POST", `${BASE}/default/agents`, agentBody(`agent-${String(i).padStart(5, "0")}`, i));
        },
        201,
      );
      seeded += count;
    }
    const sequentialCreates: number[] = [];
    for (let i = 0; i < 300; i++) {
      const [ms, res] = await timed(() => call("POST", `${BASE}/default/agents`, agentBody(`seq-${i}`, i)));
      if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
      sequentialCreates.push(ms);
    }

    console.log("LIST…");
    const listSamples: number[] = [];
    let listBytes = 0;
    for (let i = 0; i < LIST_RUNS; i++) {
      const [ms, res] = await timed(() => call("GET", `${BASE}/default/agents`));
      listBytes = res.text.length;
      if (i > 1) listSamples.push(ms);
    }
    const [clientParseMs] = await timed(async () => JSON.parse((await call("GET", `${BASE}/default/agents`)).text) as unknown);

    console.log("GET…");
    const getSamples: number[] = [];
    for (let i = 0; i < GETS; i++) {
      const name = `agent-${String(Math.floor(Math.random() * AGENTS)).padStart(5, "0")}`;
      const [ms, res] = await timed(() => call("GET", `${BASE}/default/agents/${name}`));
      if (res.status !== 200) throw new Error(`get failed: ${res.status}`);
      getSamples.push(ms);
    }

    console.log("PATCH and PATCH /status…");
    const randomAgent = () => `agent-${String(Math.floor(Math.random() * AGENTS)).padStart(5, "0")}`;
    const mergePatch = "application/merge-patch+json";
    const patchSpec = await writes(WRITE_BATCH, 200, (i) => call("PATCH", `${BASE}/default/agents/${randomAgent()}`, { spec: { description: `patched ${i}` } }, mergePatch));
    const patchStatus = await writes(WRITE_BATCH, 200, (i) =>
      call(
        "PATCH",
        `${BASE}/default/agents/${randomAgent()}/status`,
        { status: { observedGeneration: i, conditions: [{ type: "Available", status: "True", reason: "Ready", message: `tick ${i}`, lastTransitionTime: "2026-01-01T00:00:00Z" }] } },
        mergePatch,
      ),
    );

    console.log("LIST as kubectl get does (Table, limit=500)…");
    const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    const tableSamples: number[] = [];
    const selectorSamples: number[] = [];
    for (let i = 0; i < LIST_RUNS; i++) {
      const [ms, res] = await timed(async () => {
        let next: string | undefined = "";
        let pages = 0;
        while (next !== undefined) {
          const page = await call("GET", `${BASE}/default/agents?limit=500${next ? `&continue=${encodeURIComponent(next)}` : ""}`, undefined, "application/json", tableAccept);
          if (page.status !== 200) throw new Error(`table list failed: ${page.status}`);
          next = (JSON.parse(page.text) as { metadata: { continue?: string } }).metadata.continue;
          pages++;
        }
        return pages;
      });
      if (res < 1) throw new Error("no pages");
      if (i > 1) tableSamples.push(ms);
      const [selMs] = await timed(() => call("GET", `${BASE}/default/agents?labelSelector=shard%3D3`));
      if (i > 1) selectorSamples.push(selMs);
    }

    console.log(`watch delivery to ${WATCHERS} watchers…`);
    await call("POST", "/api/v1/namespaces", { metadata: { name: "bench-watch" } });
    await call("POST", `${BASE}/bench-watch/agents`, agentBody("watched", 0));
    const rv = (JSON.parse((await call("GET", `${BASE}/bench-watch/agents`)).text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const watchSamples = await measureWatchDelivery({
      url,
      token: server.token,
      caPem: server.caPem,
      watchers: WATCHERS,
      watchPath: `${BASE}/bench-watch/agents?watch=true&resourceVersion=${rv}`,
      events: WATCH_EVENTS,
      write: (_i, sent) => call("PATCH", `${BASE}/bench-watch/agents/watched`, { metadata: { annotations: { "bench/sent": sent } } }, "application/merge-patch+json"),
    });

    const report = {
      agents: AGENTS,
      listBytes,
      list10k: stats(listSamples),
      listClientJsonParseMs: Math.round(clientParseMs),
      get: stats(getSamples),
      createConcurrent8: { ...stats(createSamples), perSecond: Math.round(viaApi / seedSeconds) },
      createSequential: stats(sequentialCreates),
      create50: concurrentCreates[50],
      create200: concurrentCreates[200],
      patchSpec200: patchSpec,
      patchStatus200: patchStatus,
      listTablePaged: stats(tableSamples),
      listLabelSelector: stats(selectorSamples),
      watchDelivery: { watchers: WATCHERS, events: WATCH_EVENTS, delivered: watchSamples.length, ...stats(watchSamples) },
      targets: { list10kP50Ms: 150, watchP50Ms: 10 },
    };
    const md = [
      `## ${AGENTS} agents`,
      "",
      "| what | p50 | p99 | samples | target |",
      "|---|---|---|---|---|",
      `| LIST ${AGENTS} agents (${(listBytes / 1e6).toFixed(1)} MB, until the last byte) | ${report.list10k.p50} | ${report.list10k.p99} | ${report.list10k.count} | p50 < 150 |`,
      `| GET one agent | ${report.get.p50} | ${report.get.p99} | ${report.get.count} | |`,
      `| CREATE, 8 in flight (${report.createConcurrent8.perSecond}/s) | ${report.createConcurrent8.p50} | ${report.createConcurrent8.p99} | ${report.createConcurrent8.count} | |`,
      ...[report.create50, report.create200].map((w) => `| CREATE, ${w!.inFlight} in flight (${w!.perSecond}/s) | ${w!.p50} | ${w!.p99} | ${w!.count} | |`),
      `| merge PATCH spec, 200 in flight (${patchSpec.perSecond}/s) | ${patchSpec.p50} | ${patchSpec.p99} | ${patchSpec.count} | |`,
      `| merge PATCH /status, 200 in flight (${patchStatus.perSecond}/s) | ${patchStatus.p50} | ${patchStatus.p99} | ${patchStatus.count} | |`,
      `| LIST ${AGENTS} agents as kubectl get (Table, limit=500, every page) | ${report.listTablePaged.p50} | ${report.listTablePaged.p99} | ${report.listTablePaged.count} | |`,
      `| LIST with labelSelector (1/10 of them) | ${report.listLabelSelector.p50} | ${report.listLabelSelector.p99} | ${report.listLabelSelector.count} | |`,
      `| CREATE, one at a time | ${report.createSequential.p50} | ${report.createSequential.p99} | ${report.createSequential.count} | |`,
      `| watch delivery, write sent → event at each of ${WATCHERS} watchers | ${report.watchDelivery.p50} | ${report.watchDelivery.p99} | ${report.watchDelivery.delivered}/${WATCHERS * WATCH_EVENTS} | p50 < 10 |`,
      "",
      `A client parsing the LIST body with JSON.parse adds ≈ ${report.listClientJsonParseMs} ms.`,
      "",
    ];
    return { json: report, md };
  } finally {
    agent.destroy();
    await server.stop();
    await db.drop();
    await rm(home, { recursive: true, force: true });
  }
}

const pg = await getTestPostgres();
try {
  const machine = { node: process.version, cpus: cpus().length, loadAverage: loadavg().map((l) => Math.round(l * 10) / 10), postgres: pg.source };
  const base = SCENARIOS.has("base") ? await baseScenario(pg) : undefined;
  const scale = SCENARIOS.has("scale") ? await runScale(pg.url) : undefined;
  const loadAtEnd = loadavg().map((l) => Math.round(l * 10) / 10);
  const date = new Date().toISOString();
  const md = [
    "# ark-apiserver benchmark",
    "",
    `${date}, Node ${machine.node}, ${machine.cpus} CPUs (load average ${machine.loadAverage.join(", ")} at the start, ${loadAtEnd.join(", ")} at the end), PostgreSQL (${pg.source}); times in ms, measured over HTTPS with keep-alive from another process.`,
    "",
    ...(base?.md ?? []),
    ...(scale?.md ?? []),
  ].join("\n");
  const dir = resolve(import.meta.dirname, "../../../reports");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "bench-apiserver.json"), `${JSON.stringify({ date, machine: { ...machine, loadAverageAtEnd: loadAtEnd }, ...base?.json, ...(scale ? { scale: scale.json } : {}) }, null, 2)}\n`);
  await writeFile(join(dir, "bench-apiserver.md"), md);
  console.log(md);
} finally {
  await pg.stop();
}
