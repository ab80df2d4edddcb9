import type { QueryBus } from "@ark/bus";
import type { EventSink } from "@ark/engine";
import type { BusQueryRef, QueryEvent } from "@ark/types";

/** Publishes a query's events in emit order; the engine's sink is synchronous, the bus is not. */
export class QueryEventPublisher {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly bus: QueryBus<QueryEvent>,
    private readonly ref: BusQueryRef,
  ) {}

  readonly sink: EventSink = (event) => {
    this.tail = this.tail
      .then(() => (this.failure === undefined ? this.bus.publishEvent(this.ref, event) : undefined))
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  };

  /** Waits for every event emitted so far; throws the first publish failure. */
  async flush(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }
}
