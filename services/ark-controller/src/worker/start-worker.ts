import type { RunConsumer, RunExhausted } from "@ark/bus";
import { EgressGuard, McpClientPool } from "@ark/engine";
import type { Log } from "@ark/service-kit";
import type { QueryEvent, QueryRunJob } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import { serviceAccountResources } from "../resources.js";
import { cachedResources } from "./cached-resources.js";
import { queryRunHandler, type QueryRunDeps } from "./run-query.js";

export interface QueryWorkerOptions extends QueryRunDeps {
  concurrency: number;
  log: Log;
  /** When set, runs read Agents, Models, Secrets… through informer caches on this API instead of `resources`' GETs. */
  kubeConfig?: KubeConfig;
  /** Runs read as the query's service account (ARK_IMPERSONATE_QUERIES); needs kubeConfig. */
  impersonateQueries?: boolean;
}

/**
 * Pulls run jobs off the bus; a job out of deliveries (workers died or kept failing) ends its query as failed.
 * MCP clients and the tenant egress guard (HTTP tools, MCP servers) are shared by every run of the process and closed with the consumer.
 */
export async function startQueryWorker(options: QueryWorkerOptions): Promise<RunConsumer> {
  const { bus, log } = options;
  // Tenant tools: internal addresses and ARK's services refused unless the caller's guard allows them.
  const egress = options.egress ?? new EgressGuard({ blockInternal: true });
  const mcpPool = options.mcpPool ?? new McpClientPool({ egress, onError: (err, server) => log.warn({ err, server }, "MCP client problem") });
  const cached = options.kubeConfig ? cachedResources(options.kubeConfig, log) : undefined;
  const resources = cached?.resources ?? options.resources;
  if (options.impersonateQueries && !options.kubeConfig) throw new Error("impersonating queries needs the worker's kubeConfig");
  const runAs = options.impersonateQueries && options.kubeConfig ? serviceAccountResources(options.kubeConfig) : options.runAs;
  const consumer = await bus.consumeRuns(queryRunHandler({ ...options, resources, mcpPool, egress, ...(runAs ? { runAs } : {}) }), {
    concurrency: options.concurrency,
    onExhausted: async (job, exhausted) => {
      log.warn({ query: `${job.namespace}/${job.name}`, attempts: exhausted.attempts }, exhausted.reason);
      await bus.publishEvent(job, exhaustedEvent(job, exhausted));
    },
    onError: (err) => log.warn({ err }, "query bus problem"),
  });
  return {
    get inFlight() {
      return consumer.inFlight;
    },
    async close(opts) {
      try {
        await consumer.close(opts);
      } finally {
        if (!options.mcpPool) await mcpPool.closeAll();
        if (!options.egress) await egress.close();
        await cached?.stop();
      }
    },
  };
}

function exhaustedEvent(job: QueryRunJob, exhausted: RunExhausted): QueryEvent {
  return {
    type: "query.failed",
    time: new Date().toISOString(),
    message: `query ${job.namespace}/${job.name}: ${exhausted.reason} (MAX_DELIVER ${exhausted.maxDeliver})`,
    code: "MAX_DELIVER",
    // Only system failures are redelivered: ARK's, and another attempt later may succeed (docs/architecture.md §10).
    origin: "system",
    retryable: true,
  };
}
