import type { QueryBus } from "@ark/bus";
import type { EventSink } from "@ark/engine";
import type { BusQueryRef, QueryEvent } from "@ark/types";

/**
 * Publishes a query's events in emit order. The engine's sink is synchronous; each event goes to the bus at once,
 * without waiting for the bus to confirm the one before (the bus keeps the order of its calls): a run's last events
 * cost one round trip to the bus, not one each. An event the bus refuses at the call (over its message limit) stops
 * the ones after it; a confirmation that fails later is the run's failure too (`flush`).
 */
export class QueryEventPublisher {
  private readonly unconfirmed = new Set<Promise<unknown>>();
  private failure: unknown;

  constructor(
    private readonly bus: QueryBus<QueryEvent>,
    private readonly ref: BusQueryRef,
  ) {}

  readonly sink: EventSink = (event) => {
    if (this.failure !== undefined) return;
    let published: Promise<unknown>;
    try {
      published = this.bus.publishEvent(this.ref, event);
    } catch (error) {
      this.failure = error;
      return;
    }
    const settled: Promise<void> = published.then(
      () => void this.unconfirmed.delete(settled),
      (error: unknown) => {
        this.failure ??= error;
        this.unconfirmed.delete(settled);
      },
    );
    this.unconfirmed.add(settled);
  };

  /** Waits until the bus has confirmed every event emitted so far; throws the first failure. */
  async flush(): Promise<void> {
    while (this.unconfirmed.size > 0) await Promise.all(this.unconfirmed);
    if (this.failure !== undefined) throw this.failure;
  }
}
