import { z } from "zod";
import { QuerySpec } from "../kinds/query.js";

/** Past this many JSON characters a snapshot is left out: the whole job must fit NATS's 1 MiB message. */
export const MAX_QUERY_SNAPSHOT_CHARS = 256 * 1024;

/** What the worker reads of the Query, as the controller saw it when it enqueued the run. */
export const QueryRunSnapshot = z
  .object({
    metadata: z.object({
      name: z.string().min(1),
      namespace: z.string().min(1),
      uid: z.string().min(1),
      annotations: z.record(z.string(), z.string()).optional().describe("ARK's own annotations (streaming)."),
    }),
    spec: QuerySpec,
  })
  .refine((snapshot) => JSON.stringify(snapshot).length <= MAX_QUERY_SNAPSHOT_CHARS, {
    message: `over ${MAX_QUERY_SNAPSHOT_CHARS} characters as JSON`,
  });
export type QueryRunSnapshot = z.output<typeof QueryRunSnapshot>;

/**
 * A request to run one Query: which query, which spec generation was accepted, until when it may run, and
 * (from newer controllers) the Query itself, so a first delivery runs without reading it back from the API.
 */
export const QueryRunJob = z.object({
  queryUid: z.string().min(1).describe("metadata.uid of the Query; the work queue dedupes on it."),
  namespace: z.string().min(1),
  name: z.string().min(1),
  generation: z.int().min(0).describe("metadata.generation the controller accepted for this run."),
  enqueuedAt: z.iso.datetime().describe("When the controller enqueued the run (RFC 3339)."),
  deadline: z.iso.datetime().optional().describe("When the query times out (spec.timeout from its start)."),
  // An invalid or oversized snapshot is dropped, not the job: without one the worker reads the Query.
  query: QueryRunSnapshot.optional().catch(undefined).describe("The Query as enqueued; a redelivery or a job without it reads the Query from the API."),
  resume: z
    .object({ approvalRequest: z.string().min(1) })
    .optional()
    .describe("Resume the run paused on this ToolApprovalRequest, now decided (docs/architecture.md §3.2)."),
});
export type QueryRunJob = z.output<typeof QueryRunJob>;

/** What the work queue dedupes a job on: the query's uid, and for a resume also the request it resumes from. */
export function runJobKey(job: Pick<QueryRunJob, "queryUid" | "resume">): string {
  return job.resume ? `${job.queryUid}/${job.resume.approvalRequest}` : job.queryUid;
}
