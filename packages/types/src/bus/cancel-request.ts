import { z } from "zod";

/** Published on the query's cancel subject; a worker running the query aborts it. */
export const QueryCancelRequest = z.object({
  queryUid: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  time: z.iso.datetime(),
  reason: z.string().optional(),
});
export type QueryCancelRequest = z.output<typeof QueryCancelRequest>;
