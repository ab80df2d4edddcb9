import type { EventTargetRef, QueryEvent } from "@ark/types";

/** Where the engine sends execution events (the worker publishes them to the bus). */
export type EventSink = (event: QueryEvent) => void;

type WithoutStamp<T> = T extends unknown ? Omit<T, "time" | "target" | "agent"> : never;
/** An event as a step describes it; the emitter adds the time and the context. */
export type StepEvent = WithoutStamp<QueryEvent>;

export interface EventContext {
  target?: EventTargetRef;
  agent?: string;
}

/** An emitter that stamps time and context; undefined without a sink, so `emit?.({…})` builds nothing. */
export function contextEmitter(sink: EventSink | undefined, context: EventContext): ((event: StepEvent) => void) | undefined {
  if (!sink) return undefined;
  return (event) => sink({ ...context, ...event, time: new Date().toISOString() } as QueryEvent);
}
