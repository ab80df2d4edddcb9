// The scale scenario of the apiserver bench: 100,000 stored objects (finished Queries with their status, as they
// accumulate under the default 720 h TTL), then LIST of one namespace, LIST of all, watch delivery while writing,
// and the server process's memory. Seeding goes straight into the database (not timed); the server then starts on it.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@ark/testing";
import pg from "pg";
import { startServerProcess } from "./server-process.js";
import { measureWatchDelivery } from "./watch-delivery.js";

const OBJECTS = Number(process.env.BENCH_SCALE_OBJECTS ?? 100_000);
const NAMESPACES = 100;
/** Queries in the namespace whose LIST is measured. */
const BIG_NAMESPACE = 1000;
const NAMESPACE_LIST_RUNS = 40;
const FULL_LIST_RUNS = 6;
const WATCHERS = 100;
const WATCH_EVENTS = 200;
const SEED_BATCH = 2000;
const GROUP = "ark.mckinsey.com";
const API = `/apis/${GROUP}/v1alpha1`;

const SCALE_TARGETS = { namespaceListP50Ms: 20, fullListP50Ms: 500, watchP50Ms: 5, rssMiB: 1024 };

export interface Stats {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { count: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length) };
}

/** Memory and CPU of a Linux process, from /proc. */
async function processUsage(pid: number): Promise<{ rssMiB: number; peakRssMiB: number; cpuMs: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  // Fields 14 and 15 of /proc/pid/stat (after the parenthesised name): user and system time in clock ticks (100/s).
  const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return { rssMiB: Math.round(kib("VmRSS") / 1024), peakRssMiB: Math.round(kib("VmHWM") / 1024), cpuMs: (Number(stat[11]) + Number(stat[12])) * 10 };
}

function namespaceOf(i: number): string {
  const n = i < BIG_NAMESPACE ? 0 : 1 + ((i - BIG_NAMESPACE) % (NAMESPACES - 1));
  return `scale-${String(n).padStart(3, "0")}`;
}

/** A finished Query as the reconciler leaves it: spec, status with the answer, token usage and conditions. */
function queryStatus(i: number) {
  const answer = `Query ${i}: the forecast for Chicago is sunny with a high of 21 °C and light winds from the west. `.repeat(4);
  return {
    phase: "done",
    responses: [{ target: { type: "agent", name: "weather" }, content: answer }],
    response: { target: { type: "agent", name: "weather" }, content: answer, phase: "done" },
    tokenUsage: { promptTokens: 412 + (i % 97), completionTokens: 88 + (i % 13), totalTokens: 500 + (i % 110) },
    duration: `${(1 + (i % 50) / 10).toFixed(1)}s`,
    observedGeneration: 1,
    conditions: [
      { type: "Completed", status: "True", reason: "Succeeded", message: "all targets answered", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 },
      { type: "Running", status: "False", reason: "Finished", message: "", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 },
    ],
  };
}

export async function runScale(serverUrl: string): Promise<{ json: Record<string, unknown>; md: string[] }> {
  const db = await createTestDatabase({ serverUrl, label: "bench-scale" });
  const home = await mkdtemp(join(tmpdir(), "ark-apiserver-bench-scale-"));
  let server = await startServerProcess(home, db.url);
  let agent = new Agent({ keepAlive: true, maxSockets: 16, ca: server.caPem });
  let url = new URL(server.url);

  /** One request; the body read to its last byte and kept as text only when asked. */
  function call(method: string, path: string, body?: unknown, contentType = "application/json", keep = true): Promise<{ status: number; text: string; bytes: number }> {
    return new Promise((done, fail) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = { authorization: `Bearer ${server.token}`, accept: "application/json", ...(payload ? { "content-type": contentType } : {}) };
      const req = request({ host: url.hostname, port: url.port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
          if (keep) chunks.push(c);
        });
        res.on("end", () => done({ status: res.statusCode ?? 0, text: keep ? Buffer.concat(chunks).toString("utf8") : "", bytes }));
      });
      req.on("error", fail);
      req.end(payload);
    });
  }
  async function must(expected: number, response: Promise<{ status: number; text: string; bytes: number }>) {
    const res = await response;
    if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}: ${res.text.slice(0, 300)}`);
    return res;
  }

  try {
    const queries = OBJECTS - NAMESPACES;
    console.log(`scale: seeding ${NAMESPACES} namespaces and ${queries} queries…`);
    for (let n = 0; n < NAMESPACES; n++) await must(201, call("POST", "/api/v1/namespaces", { metadata: { name: `scale-${String(n).padStart(3, "0")}` } }));
    // One Query through the API, so the seeded ones have exactly the stored shape (defaults, metadata, status).
    const base = `${API}/namespaces/scale-000/queries`;
    const spec = { input: "What is the weather in {{.city}} today? Answer in one paragraph.", parameters: [{ name: "city", value: "Chicago" }], targets: [{ type: "agent", name: "weather" }], ttl: "720h", timeout: "5m" };
    await must(201, call("POST", base, { apiVersion: `${GROUP}/v1alpha1`, kind: "Query", metadata: { name: "query-template", labels: { app: "bench-scale" } }, spec }));
    await must(200, call("PATCH", `${base}/query-template/status`, { status: queryStatus(0) }, "application/merge-patch+json"));
    const template = JSON.parse((await must(200, call("GET", `${base}/query-template`))).text) as { metadata: Record<string, unknown>; spec: { input: string }; status: unknown };
    await must(200, call("DELETE", `${base}/query-template`));
    await server.stop();
    agent.destroy();

    const seedStart = performance.now();
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const placeholder = `"rv-${randomUUID()}"`;
    try {
      for (let from = 0; from < queries; from += SEED_BATCH) {
        const cols: string[][] = [[], [], [], [], [], []];
        for (let i = from; i < Math.min(queries, from + SEED_BATCH); i++) {
          const namespace = namespaceOf(i);
          const name = `query-${String(i).padStart(6, "0")}`;
          const uid = randomUUID();
          const labels = { app: "bench-scale", shard: String(i % 10) };
          const object = {
            ...template,
            metadata: { ...template.metadata, name, namespace, uid, labels, resourceVersion: "" },
            spec: { ...template.spec, input: `${template.spec.input} (${i})` },
            status: queryStatus(i),
          };
          const [before, after] = JSON.stringify(object).replace('"resourceVersion":""', `"resourceVersion":${placeholder}`).split(placeholder) as [string, string];
          for (const [c, v] of [namespace, name, uid, JSON.stringify(labels), before, after].entries()) cols[c]!.push(v);
        }
        await pool.query(
          `WITH v AS MATERIALIZED (SELECT nextval('changes_rv_seq') AS rv, t.* FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(namespace, name, uid, labels, before, after)),
             o AS (INSERT INTO objects (api_group, resource, namespace, name, uid, resource_version, labels, owner_uids, object)
               SELECT '${GROUP}', 'queries', namespace, name, uid, rv, labels::jsonb, '{}', before || '"' || rv || '"' || after FROM v)
           INSERT INTO changes (rv, type, api_group, resource, namespace, name, labels, object)
             SELECT rv, 'ADDED', '${GROUP}', 'queries', namespace, name, labels::jsonb, before || '"' || rv || '"' || after FROM v`,
          cols,
        );
      }
      await pool.query("ANALYZE");
    } finally {
      await pool.end();
    }
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;

    console.log("scale: starting the server on them…");
    const startAt = performance.now();
    server = await startServerProcess(home, db.url);
    const startupMs = Math.round(performance.now() - startAt);
    agent = new Agent({ keepAlive: true, maxSockets: 16, ca: server.caPem });
    url = new URL(server.url);
    const afterStart = await processUsage(server.pid);

    console.log("scale: LIST of one namespace…");
    const namespaceSamples: number[] = [];
    let namespaceBytes = 0;
    let cpuBefore = (await processUsage(server.pid)).cpuMs;
    for (let i = 0; i < NAMESPACE_LIST_RUNS; i++) {
      const t0 = performance.now();
      const res = await must(200, call("GET", `${API}/namespaces/scale-000/queries`, undefined, undefined, i === 0));
      const ms = performance.now() - t0;
      if (i === 0 && (JSON.parse(res.text) as { items: unknown[] }).items.length !== BIG_NAMESPACE) throw new Error("the namespace does not hold its queries");
      namespaceBytes = res.bytes;
      if (i > 1) namespaceSamples.push(ms);
    }
    const namespaceCpuMs = Math.round(((await processUsage(server.pid)).cpuMs - cpuBefore) / NAMESPACE_LIST_RUNS);

    console.log("scale: LIST of all…");
    const fullSamples: number[] = [];
    let fullBytes = 0;
    cpuBefore = (await processUsage(server.pid)).cpuMs;
    for (let i = 0; i < FULL_LIST_RUNS; i++) {
      const t0 = performance.now();
      const res = await must(200, call("GET", `${API}/queries`, undefined, undefined, false));
      if (i > 0) fullSamples.push(performance.now() - t0);
      fullBytes = res.bytes;
    }
    const fullCpuMs = Math.round(((await processUsage(server.pid)).cpuMs - cpuBefore) / FULL_LIST_RUNS);
    const afterLists = await processUsage(server.pid);

    console.log(`scale: watch delivery to ${WATCHERS} watchers…`);
    const rv = (JSON.parse((await must(200, call("GET", `${API}/namespaces/scale-000/queries?limit=1`))).text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const watchSamples = await measureWatchDelivery({
      url,
      token: server.token,
      caPem: server.caPem,
      watchers: WATCHERS,
      watchPath: `${API}/namespaces/scale-000/queries?watch=true&resourceVersion=${rv}`,
      events: WATCH_EVENTS,
      write: (i, sent) => {
        const name = `query-${String(i % BIG_NAMESPACE).padStart(6, "0")}`;
        return must(200, call("PATCH", `${API}/namespaces/scale-000/queries/${name}`, { metadata: { annotations: { "bench/sent": sent } } }, "application/merge-patch+json"));
      },
    });
    const atEnd = await processUsage(server.pid);

    const json = {
      objects: OBJECTS,
      queries,
      namespaces: NAMESPACES,
      seedSeconds,
      startupMs,
      namespaceList: { queries: BIG_NAMESPACE, bytes: namespaceBytes, serverCpuMsPerList: namespaceCpuMs, ...stats(namespaceSamples) },
      fullList: { bytes: fullBytes, serverCpuMsPerList: fullCpuMs, ...stats(fullSamples) },
      watchDelivery: { watchers: WATCHERS, events: WATCH_EVENTS, delivered: watchSamples.length, ...stats(watchSamples) },
      rssMiB: { afterStart: afterStart.rssMiB, afterLists: afterLists.rssMiB, atEnd: atEnd.rssMiB, peak: atEnd.peakRssMiB },
      targets: SCALE_TARGETS,
    };
    const mark = (ok: boolean) => (ok ? "✓" : "✗");
    const md = [
      `## At scale: ${OBJECTS} stored objects`,
      "",
      `${queries} finished Queries (${(fullBytes / queries / 1024).toFixed(1)} kB each as JSON) over ${NAMESPACES} namespaces, ${BIG_NAMESPACE} in scale-000; seeded in ${seedSeconds} s straight into the database, then the server started on them in ${startupMs} ms. Server CPU per LIST from /proc (clock ticks of 10 ms).`,
      "",
      "| what | p50 | p99 | samples | server CPU ms each | target | met |",
      "|---|---|---|---|---|---|---|",
      `| LIST one namespace's ${BIG_NAMESPACE} queries (${(namespaceBytes / 1e6).toFixed(1)} MB, until the last byte) | ${json.namespaceList.p50} | ${json.namespaceList.p99} | ${json.namespaceList.count} | ${namespaceCpuMs} | p50 ≤ ${SCALE_TARGETS.namespaceListP50Ms} | ${mark(json.namespaceList.p50 <= SCALE_TARGETS.namespaceListP50Ms)} |`,
      `| LIST all ${queries} queries (${(fullBytes / 1e6).toFixed(0)} MB, until the last byte) | ${json.fullList.p50} | ${json.fullList.p99} | ${json.fullList.count} | ${fullCpuMs} | p50 ≤ ${SCALE_TARGETS.fullListP50Ms} | ${mark(json.fullList.p50 <= SCALE_TARGETS.fullListP50Ms)} |`,
      `| watch delivery, write sent → event at each of ${WATCHERS} watchers | ${json.watchDelivery.p50} | ${json.watchDelivery.p99} | ${watchSamples.length}/${WATCHERS * WATCH_EVENTS} | | p50 ≤ ${SCALE_TARGETS.watchP50Ms} | ${mark(json.watchDelivery.p50 <= SCALE_TARGETS.watchP50Ms)} |`,
      `| server RSS, MiB: after start ${afterStart.rssMiB}, after the LISTs ${afterLists.rssMiB}, at the end ${atEnd.rssMiB}, peak | ${atEnd.peakRssMiB} | | | | ≤ ${SCALE_TARGETS.rssMiB} | ${mark(atEnd.peakRssMiB <= SCALE_TARGETS.rssMiB)} |`,
      "",
    ];
    return { json, md };
  } finally {
    agent.destroy();
    await server.stop();
    await db.drop();
    await rm(home, { recursive: true, force: true });
  }
}
