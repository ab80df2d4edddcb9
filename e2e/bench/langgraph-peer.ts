// The peer ARK is measured against in the same run: LangGraph.js createReactAgent in this process, against the
// same mock model, one model call per query; without a checkpointer and with PostgresSaver on the same PostgreSQL.
import { ChatOpenAI } from "@langchain/openai";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { postgresBackends, startCpuCount } from "./cpu.js";
import { createTestDatabase } from "./kit.js";
import { percentiles, round, type Percentiles } from "./stats.js";

export interface PeerResult {
  peer: "langgraph" | "langgraph+postgres";
  description: string;
  queries: number;
  inFlight: number;
  failed: number;
  queriesPerSecond: number;
  /** One query at a time: invoke to answer, and that minus a direct call to the mock at the same percentile. */
  unloaded: { queryLatencyMs: Percentiles; overheadMs: { p50: number; p99: number } };
  /** CPU ms per query during the throughput run (this process; PostgreSQL's backends for the durable peer), less load-bound than q/s. */
  cpuMsPerQuery: Record<string, number>;
}

export interface PeerOptions {
  queries: number;
  inFlight: number;
  warmup: number;
  latencyQueries: number;
  /** The PostgreSQL server for PostgresSaver (a database of its own is made and dropped); skipped when undefined. */
  postgresUrl?: string;
}

type Agent = ReturnType<typeof createReactAgent>;

async function drive(agent: Agent, count: number, inFlight: number, prefix: string): Promise<{ latenciesMs: number[]; wallMs: number; failed: number }> {
  const latenciesMs: number[] = [];
  let failed = 0;
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const id = `${prefix}-${next++}`;
      const started = performance.now();
      try {
        const result = await agent.invoke({ messages: [{ role: "user", content: `question ${id}` }] }, { configurable: { thread_id: id } });
        if (!String(result.messages.at(-1)?.content ?? "").includes(id)) failed += 1;
      } catch {
        failed += 1;
      }
      latenciesMs.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { latenciesMs, wallMs: performance.now() - started, failed };
}

async function measure(peer: PeerResult["peer"], description: string, agent: Agent, options: PeerOptions, direct: Percentiles, database?: string): Promise<PeerResult> {
  if (options.warmup > 0) await drive(agent, options.warmup, Math.min(options.inFlight, options.warmup), `${peer}-warmup`);
  // The mock model runs in a process of its own (mock.ts), as it does for ARK: its share is in neither.
  const cpuUsed = startCpuCount(() => ({ "peer process": [process.pid], ...(database ? { "PostgreSQL backends": postgresBackends(database) } : {}) }));
  const run = await drive(agent, options.queries, options.inFlight, `${peer}-q`);
  const cpu = cpuUsed();
  const cpuMsPerQuery = Object.fromEntries(Object.entries(cpu).map(([part, ms]) => [part, round(ms / options.queries)]));
  cpuMsPerQuery.total = round(Object.values(cpu).reduce((a, b) => a + b, 0) / options.queries);
  const alone = percentiles((await drive(agent, options.latencyQueries, 1, `${peer}-l`)).latenciesMs);
  return {
    peer,
    description,
    queries: options.queries,
    inFlight: options.inFlight,
    failed: run.failed,
    queriesPerSecond: round((options.queries / run.wallMs) * 1000),
    unloaded: { queryLatencyMs: alone, overheadMs: { p50: round(alone.p50 - direct.p50), p99: round(alone.p99 - direct.p99) } },
    cpuMsPerQuery,
  };
}

/** The peer's results for one-model-call queries (the mock echoes the question, which each answer is checked for). */
export async function measureLangGraph(mockUrl: string, options: PeerOptions, direct: Percentiles): Promise<PeerResult[]> {
  const llm = new ChatOpenAI({ model: "mock-model", apiKey: "sk-bench", maxRetries: 0, configuration: { baseURL: mockUrl } });
  const results = [await measure("langgraph", "LangGraph.js createReactAgent in process, no checkpointer", createReactAgent({ llm, tools: [], prompt: "You answer briefly." }), options, direct)];
  if (options.postgresUrl) {
    const database = await createTestDatabase({ serverUrl: options.postgresUrl, label: "bench-langgraph" });
    const checkpointer = PostgresSaver.fromConnString(database.url);
    // Its pool's end() resolves before the connections have closed, so the drop's WITH (FORCE) can end one that is
    // still closing; the pool then emits that error, and without a listener it was an uncaught exception that ended
    // a full `pnpm bench` run. The pool is the saver's own (a private field), hence the cast.
    (checkpointer as unknown as { pool?: NodeJS.EventEmitter }).pool?.on("error", () => undefined);
    try {
      await checkpointer.setup();
      const agent = createReactAgent({ llm, tools: [], prompt: "You answer briefly.", checkpointer });
      results.push(await measure("langgraph+postgres", "LangGraph.js createReactAgent in process, PostgresSaver (durable) on the same PostgreSQL", agent, options, direct, new URL(database.url).pathname.slice(1)));
    } finally {
      await checkpointer.end();
      await database.drop();
    }
  }
  return results;
}
