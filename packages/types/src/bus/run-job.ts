import { z } from "zod";

/**
 * A request to run one Query. Minimal on purpose: the worker re-reads the Query from the API, so
 * the job only says which query, which spec generation was accepted, and until when it may run.
 */
export const QueryRunJob = z.object({
  queryUid: z.string().min(1).describe("metadata.uid of the Query; the work queue dedupes on it."),
  namespace: z.string().min(1),
  name: z.string().min(1),
  generation: z.int().min(0).describe("metadata.generation the controller accepted for this run."),
  enqueuedAt: z.iso.datetime().describe("When the controller enqueued the run (RFC 3339)."),
  deadline: z.iso.datetime().optional().describe("When the query times out (spec.timeout from its start)."),
});
export type QueryRunJob = z.output<typeof QueryRunJob>;
