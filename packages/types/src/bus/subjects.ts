/** Identifies one Query on the bus; the uid keeps a deleted-and-recreated Query's traffic apart. */
export interface BusQueryRef {
  namespace: string;
  name: string;
  queryUid: string;
}

export const DEFAULT_SUBJECT_PREFIX = "ark";

/**
 * Subject names of the query bus. Query names may contain dots (DNS subdomains), so the uid is the
 * last token and consumers filter on exact subjects, never on `<ns>.*`.
 */
export function busSubjects(prefix: string = DEFAULT_SUBJECT_PREFIX) {
  return {
    /** Work queue of run jobs (one message per query run). */
    run: `${prefix}.query.run`,
    /** Every query's execution events. */
    allEvents: `${prefix}.query.events.>`,
    /** One query's execution events, in order. */
    events: (ref: BusQueryRef) => `${prefix}.query.events.${ref.namespace}.${ref.name}.${ref.queryUid}`,
    /** Notices that a query ended (core NATS, not kept). */
    ended: `${prefix}.query.ended`,
    /** Every cancel request. */
    allCancels: `${prefix}.query.cancel.>`,
    /** Cancel requests for one query (kept, so a worker that picks the job up later still sees it). */
    cancel: (ref: BusQueryRef) => `${prefix}.query.cancel.${ref.namespace}.${ref.name}.${ref.queryUid}`,
  };
}
export type BusSubjects = ReturnType<typeof busSubjects>;
