import type { Command } from "commander";
import { isFinishedQueryPhase, readServerSentEvents, TRACEPARENT_ANNOTATION } from "@ark/types";
import { stringify } from "yaml";
import { createArkApi, type ArkApi } from "../client/api-client.js";
import { CliError, UsageError } from "../errors.js";
import { renderTraceTree, traceTree } from "../output/trace-tree.js";
import { settingsOf } from "../settings.js";

/** How long a running query's stream may stay quiet before `ark trace` shows what it has. */
const RUNNING_IDLE_MS = 1500;

interface QueryDetail {
  name: string;
  namespace: string;
  annotations?: Record<string, string>;
  status?: { phase?: string };
}

/**
 * `ark trace <query>`: the query's run as a tree (docs/architecture.md §9.1), rebuilt from its recorded execution
 * events through ark-api; works with no trace collector. The trace id, when the query has one, finds the same run in
 * a collector (Langfuse, Jaeger, Tempo…).
 */
export function registerTrace(program: Command): void {
  program
    .command("trace")
    .description("show a query's run as a tree: targets, team turns, agents, model calls (tokens, finish reason) and tool calls, with durations and errors")
    .argument("<query>", "the Query's name")
    .option("-o, --output <format>", "json or yaml (default: the tree)")
    .action(async (name: string, opts: { output?: string }, command: Command) => {
      const output = opts.output ?? "tree";
      if (!["tree", "json", "yaml"].includes(output)) throw new UsageError(`--output must be json or yaml, got "${output}"`);
      const api = createArkApi(settingsOf(command));
      const path = api.namespaced(`queries/${encodeURIComponent(name)}`);
      const query = await api.request<QueryDetail>("GET", path, { allowNotFound: true });
      if (!query) throw new CliError(`query "${name}" not found in namespace ${api.settings.namespace}`);
      const phase = query.status?.phase ?? "pending";
      const events = await recordedEvents(api, `${path}/events`, isFinishedQueryPhase(phase));
      const tree = traceTree({ namespace: query.namespace, name: query.name }, events);
      const traceId = traceIdOf(query.annotations?.[TRACEPARENT_ANNOTATION]);
      const view = { query: query.name, namespace: query.namespace, phase, ...(traceId ? { traceId } : {}), tree };
      if (output === "json") return void process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      if (output === "yaml") return void process.stdout.write(stringify(view));
      process.stdout.write(`${traceId ? `trace ${traceId}\n` : ""}${renderTraceTree(tree)}\n`);
      if (events.length === 0) process.stderr.write(`no recorded events for query ${query.name} (phase ${phase})\n`);
    });
}

/** The query's events from the first; a running query's only until its stream goes quiet. */
async function recordedEvents(api: ArkApi, path: string, finished: boolean): Promise<{ type: string; [key: string]: unknown }[]> {
  const events: { type: string; [key: string]: unknown }[] = [];
  const quiet = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const wait = () => {
    if (finished) return;
    clearTimeout(timer);
    timer = setTimeout(() => quiet.abort(), RUNNING_IDLE_MS);
  };
  wait();
  try {
    const response = await api.stream(path, { signal: quiet.signal });
    for await (const message of readServerSentEvents(response.body ?? (async function* () {})())) {
      if (message.event === "end" || message.event === "error") break;
      events.push(JSON.parse(message.data) as { type: string });
      wait();
    }
  } catch (err) {
    if (!quiet.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return events;
}

function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? "")?.[1];
}
