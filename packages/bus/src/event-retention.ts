/** How long and how much of the event streams the bus keeps. */
export interface EventRetention {
  maxAgeMs: number;
  /** All queries together; the oldest events go first. */
  maxBytes: number;
  /** A query with more events loses its oldest ones. */
  maxEventsPerQuery: number;
}

export const DEFAULT_EVENT_RETENTION: EventRetention = {
  maxAgeMs: 24 * 3_600_000,
  maxBytes: 512 * 1024 * 1024,
  maxEventsPerQuery: 100_000,
};

export function resolveEventRetention(partial: Partial<EventRetention> = {}): EventRetention {
  return { ...DEFAULT_EVENT_RETENTION, ...partial };
}
