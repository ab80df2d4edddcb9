import { z } from "zod";

/**
 * A best-effort, unpersisted notice that a query's terminal event was published; the controller
 * reconciles the query on it and reads the event itself (lastEvent), and resyncs for missed notices.
 */
export const QueryEndedNotice = z.object({
  queryUid: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  seq: z.int().min(1),
  type: z.string().describe("The terminal event's type, e.g. query.completed."),
});
export type QueryEndedNotice = z.output<typeof QueryEndedNotice>;
