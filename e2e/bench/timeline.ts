// Where one query's time goes, one at a time: the bench client marks when it sent the create, when the create was
// answered and when its watch saw the final status; a watch of the stack's bus marks when each of the run's events
// arrived. All marks are on the machine's monotonic clock (process.hrtime: the same clock in every process here), so
// the client's process and the stack's can be compared.
import { percentiles } from "./stats.js";

/** Milliseconds on the monotonic clock shared by this machine's processes. */
export function clockMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** One query's marks from the bench client. */
export interface ClientMarks {
  name: string;
  sentAt: number;
  answeredAt: number;
  finishedAt: number;
}

/** A run's event as a watch of the stack's bus saw it arrive. */
export interface SeenRunEvent {
  name: string;
  type: string;
  atMs: number;
}

/** A bus watch's listener that hands each event on as a mark, stamped when it arrives. */
export function markingArrivals(listener: (event: SeenRunEvent) => void): (envelope: { name: string; event: { type: string } }) => void {
  return (envelope) => listener({ name: envelope.name, type: envelope.event.type, atMs: clockMs() });
}

/** The run's events on the path of every one-call query, in the order they happen. */
const RUN_EVENTS = ["query.started", "llm.call.started", "llm.call.completed", "query.completed"] as const;

export interface TimelineMark {
  mark: string;
  /** p50 of each query's time from its create call to this mark. */
  fromCreateP50: number;
  /** p50 of each query's time from the mark before to this one (not the difference of the p50s). */
  sincePreviousP50: number;
  /** Queries that had the mark. */
  count: number;
}

/** Keeps the first arrival of each run event per query, for the queries `wanted` names. */
export function runEventCollector(wanted: (name: string) => boolean): { seen: Map<string, Map<string, number>>; listener: (event: SeenRunEvent) => void } {
  const seen = new Map<string, Map<string, number>>();
  return {
    seen,
    listener: ({ name, type, atMs }) => {
      if (!wanted(name)) return;
      const marks = seen.get(name) ?? seen.set(name, new Map()).get(name)!;
      if (!marks.has(type)) marks.set(type, atMs);
    },
  };
}

/** The p50 timeline of the queries the client marked, with the run events seen for them. */
export function queryTimeline(client: readonly ClientMarks[], seen: ReadonlyMap<string, ReadonlyMap<string, number>>): TimelineMark[] {
  const names = ["create answered", ...RUN_EVENTS, "final status seen"];
  const fromCreate: number[][] = names.map(() => []);
  const sincePrevious: number[][] = names.map(() => []);
  for (const q of client) {
    const events = seen.get(q.name);
    const at = [q.answeredAt, ...RUN_EVENTS.map((type) => events?.get(type)), q.finishedAt];
    let previous = q.sentAt;
    at.forEach((when, i) => {
      if (when === undefined) return;
      fromCreate[i]!.push(when - q.sentAt);
      sincePrevious[i]!.push(when - previous);
      previous = when;
    });
  }
  return names.map((mark, i) => ({ mark, fromCreateP50: percentiles(fromCreate[i]!).p50, sincePreviousP50: percentiles(sincePrevious[i]!).p50, count: fromCreate[i]!.length }));
}
