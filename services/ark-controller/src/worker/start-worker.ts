import type { RunConsumer, RunExhausted } from "@ark/bus";
import type { Log } from "@ark/service-kit";
import type { QueryEvent, QueryRunJob } from "@ark/types";
import { queryRunHandler, type QueryRunDeps } from "./run-query.js";

export interface QueryWorkerOptions extends QueryRunDeps {
  concurrency: number;
  log: Log;
}

/** Pulls run jobs off the bus; a job out of deliveries (workers died or kept failing) ends its query as failed. */
export function startQueryWorker(options: QueryWorkerOptions): Promise<RunConsumer> {
  const { bus, log } = options;
  return bus.consumeRuns(queryRunHandler(options), {
    concurrency: options.concurrency,
    onExhausted: async (job, exhausted) => {
      log.warn({ query: `${job.namespace}/${job.name}`, attempts: exhausted.attempts }, exhausted.reason);
      await bus.publishEvent(job, exhaustedEvent(job, exhausted));
    },
    onError: (err) => log.warn({ err }, "query bus problem"),
  });
}

function exhaustedEvent(job: QueryRunJob, exhausted: RunExhausted): QueryEvent {
  return {
    type: "query.failed",
    time: new Date().toISOString(),
    message: `query ${job.namespace}/${job.name}: ${exhausted.reason} (MAX_DELIVER ${exhausted.maxDeliver})`,
    code: "MAX_DELIVER",
  };
}
