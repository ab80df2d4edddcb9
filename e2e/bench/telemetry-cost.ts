// What telemetry costs a query when no OTLP endpoint is set (docs/architecture.md §9.2): CPU ms per query on the embedded
// stack with ARK_METRICS=false (nothing recorded, no /metrics) against the default (metrics recorded, /metrics scraped
// every second as a Prometheus would, more often than usual). Variants alternate, each on a fresh stack, so a shared
// machine's drifting load falls on both.
import { startCpuCount } from "./cpu.js";
import { createBenchAgent, driveQueries } from "./drive.js";
import { startBenchMock } from "./mock.js";
import { embeddedStack } from "./stacks.js";
import { round } from "./stats.js";

export interface TelemetryCostOptions {
  queries: number;
  inFlight: number;
  warmup: number;
  /** off/on pairs. */
  rounds: number;
}

export interface TelemetryCostResult {
  queries: number;
  inFlight: number;
  rounds: number;
  /** CPU ms per query of the whole process (services and the bench's client), per round. */
  cpuMsPerQuery: { off: number[]; on: number[] };
  queriesPerSecond: { off: number[]; on: number[] };
  /** Mean on ÷ mean off. */
  cpuRatio: number;
  /** Scrapes during the "on" runs, and the size of the last one. */
  scrapes: number;
  lastScrapeBytes: number;
  failed: number;
}

const VARIANTS = { off: { ARK_METRICS: "false" }, on: {} } as const;

export async function measureTelemetryCost(options: TelemetryCostOptions): Promise<TelemetryCostResult> {
  const result: TelemetryCostResult = {
    queries: options.queries,
    inFlight: options.inFlight,
    rounds: options.rounds,
    cpuMsPerQuery: { off: [], on: [] },
    queriesPerSecond: { off: [], on: [] },
    cpuRatio: 0,
    scrapes: 0,
    lastScrapeBytes: 0,
    failed: 0,
  };
  const mock = await startBenchMock();
  try {
    for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
      // Alternate which goes first, so neither always runs on the warmer machine.
      const order = roundIndex % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const);
      for (const variant of order) {
        const stack = await embeddedStack({ ...VARIANTS[variant] });
        try {
          const namespace = "bench";
          await createBenchAgent(stack.kc, namespace, mock.url);
          if (options.warmup > 0) await driveQueries(stack.kc, namespace, { count: options.warmup, inFlight: Math.min(options.inFlight, options.warmup), prefix: "warmup" });
          const scraper = variant === "on" ? scrapeEverySecond(stack.metricsUrls ?? [], result) : undefined;
          const cpuUsed = startCpuCount(stack.cpu);
          const run = await driveQueries(stack.kc, namespace, { count: options.queries, inFlight: options.inFlight, prefix: "q" });
          const cpu = cpuUsed();
          await scraper?.stop();
          result.failed += run.failed;
          result.cpuMsPerQuery[variant].push(round(Object.values(cpu).reduce((a, b) => a + b, 0) / options.queries));
          result.queriesPerSecond[variant].push(round((options.queries / run.wallMs) * 1000));
        } finally {
          await stack.stop();
        }
      }
    }
  } finally {
    await mock.close();
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  result.cpuRatio = round(mean(result.cpuMsPerQuery.on) / (mean(result.cpuMsPerQuery.off) || 1));
  return result;
}

function scrapeEverySecond(urls: string[], result: TelemetryCostResult): { stop(): Promise<void> } {
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pending = Promise.all(
      urls.map(async (url) => {
        const body = await (await fetch(url)).text();
        result.scrapes++;
        result.lastScrapeBytes = body.length;
      }),
    ).catch(() => undefined);
  }, 1_000);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}

export function telemetryCostLines(r: TelemetryCostResult): string[] {
  const list = (values: number[]) => values.join(", ");
  return [
    "",
    `Telemetry cost, no OTLP endpoint (embedded stack, ${r.queries} queries, ${r.inFlight} in flight, ${r.rounds} off/on rounds, each on a fresh stack):`,
    "",
    "| variant | CPU ms per query (each round) | q/s (each round) |",
    "|---|---|---|",
    `| ARK_METRICS=false (nothing recorded) | ${list(r.cpuMsPerQuery.off)} | ${list(r.queriesPerSecond.off)} |`,
    `| metrics on (default), /metrics scraped every 1 s | ${list(r.cpuMsPerQuery.on)} | ${list(r.queriesPerSecond.on)} |`,
    "",
    `- metrics on ÷ off, CPU per query: ${r.cpuRatio}× (${r.scrapes} scrapes, the last ${r.lastScrapeBytes} bytes; failed queries: ${r.failed})`,
  ];
}
