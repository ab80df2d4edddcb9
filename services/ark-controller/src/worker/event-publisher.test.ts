import { MemoryQueryBus, PayloadTooLargeError, type QueryBus } from "@ark/bus";
import type { BusQueryRef, QueryEvent } from "@ark/types";
import { describe, expect, it } from "vitest";
import { QueryEventPublisher } from "./event-publisher.js";

const ref: BusQueryRef = { namespace: "default", name: "q", queryUid: "u-1" };
const delta = (content: string) => ({ type: "message.delta", content }) as unknown as QueryEvent;
const completed = { type: "query.completed" } as unknown as QueryEvent;

/** A bus whose confirmations the test releases: what was sent, in order, and what is still unconfirmed. */
function holdingBus() {
  const sent: QueryEvent[] = [];
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const bus = {
    publishEvent: (_ref: BusQueryRef, event: QueryEvent) => {
      sent.push(event);
      return new Promise<{ seq: number }>((resolve, reject) => pending.push({ resolve: () => resolve({ seq: sent.length }), reject }));
    },
  } as unknown as QueryBus<QueryEvent>;
  return { bus, sent, pending };
}

describe("QueryEventPublisher", () => {
  it("sends each event at once, in emit order, without waiting for the one before to be confirmed", async () => {
    const { bus, sent, pending } = holdingBus();
    const publisher = new QueryEventPublisher(bus, ref);
    publisher.sink(delta("a"));
    publisher.sink(delta("b"));
    publisher.sink(completed);
    expect(sent).toEqual([delta("a"), delta("b"), completed]);

    let flushed = false;
    const flush = publisher.flush().then(() => (flushed = true));
    for (const p of pending.slice(0, 2)) p.resolve();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(flushed).toBe(false);
    pending[2]!.resolve();
    await flush;
    expect(flushed).toBe(true);
  });

  it("stops at an event the bus refuses at the call and reports it; the events before it stay stored", async () => {
    const bus = new MemoryQueryBus<QueryEvent>();
    const publisher = new QueryEventPublisher(bus, ref);
    publisher.sink(delta("before"));
    publisher.sink(delta("x".repeat(2 * 1024 * 1024)));
    publisher.sink(completed);
    await expect(publisher.flush()).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect((await bus.lastEvent(ref))?.event).toEqual(delta("before"));
    await bus.close();
  });

  it("reports a confirmation that fails after later events were sent, and sends nothing more", async () => {
    const { bus, sent, pending } = holdingBus();
    const publisher = new QueryEventPublisher(bus, ref);
    publisher.sink(delta("a"));
    publisher.sink(delta("b"));
    pending[0]!.reject(new Error("bus: no ack"));
    pending[1]!.resolve();
    await expect(publisher.flush()).rejects.toThrow("bus: no ack");
    publisher.sink(completed);
    expect(sent).toEqual([delta("a"), delta("b")]);
  });
});
