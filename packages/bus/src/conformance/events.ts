import { afterEach, describe, expect, it } from "vitest";
import type { BusEventEnvelope, BusQueryRef, QueryEndedNotice } from "@ark/types";
import { TEST_RUN_SETTINGS, collect, deferred, makeJob, refOf, sleep, POLL, type MakeBus } from "./harness.js";

interface TestEvent {
  type: string;
  n?: number;
}

const started = (): TestEvent => ({ type: "query.started" });
const chunk = (n: number): TestEvent => ({ type: "llm.content.delta", n });
const completed = (): TestEvent => ({ type: "query.completed" });

export function describeEventConformance(makeBus: MakeBus): void {
  describe("query events", () => {
    const cleanups: Array<() => Promise<void>> = [];
    const open = async () => {
      const harness = await makeBus(TEST_RUN_SETTINGS);
      cleanups.push(() => harness.dispose());
      return harness;
    };
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });
    const publishAll = async (bus: Awaited<ReturnType<typeof open>>["bus"], ref: BusQueryRef, events: TestEvent[]) => {
      const seqs: number[] = [];
      for (const event of events) seqs.push((await bus.publishEvent(ref, event)).seq);
      return seqs;
    };
    const eventsOf = (envelopes: BusEventEnvelope[]) => envelopes.map((e) => e.event);

    it("replays a query's events in order, from the start, to a late reader", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      const events = [started(), chunk(1), chunk(2), completed()];
      const seqs = await publishAll(bus, ref, events);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      const replay = await collect(bus.readEvents(ref, { follow: false }));
      expect(eventsOf(replay)).toEqual(events);
      expect(replay.map((e) => e.seq)).toEqual(seqs);
      for (const envelope of replay) {
        expect(envelope).toMatchObject({ queryUid: ref.queryUid, namespace: ref.namespace, name: ref.name });
        expect(Number.isNaN(Date.parse(envelope.time))).toBe(false);
      }
    });

    it("stops a replay at the current end when not following", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      await publishAll(bus, ref, [started(), chunk(1)]);
      expect(eventsOf(await collect(bus.readEvents(ref, { follow: false })))).toEqual([started(), chunk(1)]);
      expect(await collect(bus.readEvents(refOf(makeJob()), { follow: false }))).toEqual([]);
    });

    it("follows live events and ends after the terminal event", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      await bus.publishEvent(ref, started());
      const reading = collect(bus.readEvents(ref, { follow: true }));
      await sleep(100);
      await publishAll(bus, ref, [chunk(1), chunk(2), completed()]);
      expect(eventsOf(await reading)).toEqual([started(), chunk(1), chunk(2), completed()]);
    });

    it("ends a follow of a query that already ended right after the replay", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      await publishAll(bus, ref, [started(), completed()]);
      expect(eventsOf(await collect(bus.readEvents(ref, { follow: true })))).toEqual([started(), completed()]);
    });

    it("resumes after a given seq with only the later events", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      const seqs = await publishAll(bus, ref, [started(), chunk(1), chunk(2)]);
      const afterSeq = seqs[1] as number;
      expect(eventsOf(await collect(bus.readEvents(ref, { follow: false, afterSeq })))).toEqual([chunk(2)]);
      const following = collect(bus.readEvents(ref, { follow: true, afterSeq }));
      await bus.publishEvent(ref, completed());
      expect(eventsOf(await following)).toEqual([chunk(2), completed()]);
      expect(await collect(bus.readEvents(ref, { follow: false, afterSeq: (seqs[2] as number) + 1_000 }))).toEqual([]);
    });

    it("keeps the events of different queries apart, even with the same name", async () => {
      const { bus } = await open();
      const a = refOf(makeJob("a"));
      const b = refOf(makeJob("b"));
      const recreated = { ...a, queryUid: makeJob().queryUid };
      const followB = collect(bus.readEvents(b, { follow: true }));
      await bus.publishEvent(a, chunk(1));
      await bus.publishEvent(b, chunk(2));
      await bus.publishEvent(recreated, chunk(3));
      await bus.publishEvent(a, completed());
      await bus.publishEvent(b, completed());
      expect(eventsOf(await collect(bus.readEvents(a, { follow: true })))).toEqual([chunk(1), completed()]);
      expect(eventsOf(await followB)).toEqual([chunk(2), completed()]);
      expect(eventsOf(await collect(bus.readEvents(recreated, { follow: false })))).toEqual([chunk(3)]);
    });

    it("ends a follow without error when its signal aborts", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      await bus.publishEvent(ref, started());
      const abort = new AbortController();
      const seen: TestEvent[] = [];
      const firstSeen = deferred();
      const reading = (async () => {
        for await (const envelope of bus.readEvents(ref, { follow: true, signal: abort.signal })) {
          seen.push(envelope.event as TestEvent);
          firstSeen.resolve();
        }
      })();
      await firstSeen.promise;
      abort.abort();
      await reading;
      expect(seen).toEqual([started()]);
    });

    it("rejects an event over the message size limit, naming the query, and keeps the stream usable", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      const huge = { type: "tool.call.completed", result: "x".repeat(2 * 1024 * 1024) };
      await expect(bus.publishEvent(ref, huge)).rejects.toThrow(`${ref.namespace}/${ref.name}`);
      await bus.publishEvent(ref, completed());
      expect(eventsOf(await collect(bus.readEvents(ref, { follow: true })))).toEqual([completed()]);
    });

    it("stores events published without waiting for each other in the order of the calls", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      const sent = Array.from({ length: 40 }, (_, i) => ({ type: "message.delta", content: `part ${i}` }));
      const acks = await Promise.all([...sent.map((event) => bus.publishEvent(ref, event)), bus.publishEvent(ref, completed())]);
      const read = await collect(bus.readEvents(ref, { follow: true }));
      expect(eventsOf(read)).toEqual([...sent, completed()]);
      expect(read.map((envelope) => envelope.seq)).toEqual(acks.map((ack) => ack.seq));
    });

    it("answers lastEvent with the query's latest event, or undefined", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      expect(await bus.lastEvent(ref)).toBeUndefined();
      await bus.publishEvent(ref, started());
      const { seq } = await bus.publishEvent(ref, completed());
      expect(await bus.lastEvent(ref)).toMatchObject({ seq, queryUid: ref.queryUid, event: completed() });
    });

    it("answers firstEventSeq with the seq a replay from the start begins at, or undefined", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      const other = refOf(makeJob("other"));
      await bus.publishEvent(other, started());
      expect(await bus.firstEventSeq(ref)).toBeUndefined();
      const { seq } = await bus.publishEvent(ref, started());
      await bus.publishEvent(other, completed());
      await bus.publishEvent(ref, completed());
      expect(await bus.firstEventSeq(ref)).toBe(seq);
      const [first] = await collect(bus.readEvents(ref, { follow: false }));
      expect(first?.seq).toBe(seq);
    });

    it("tells onQueryEnded listeners about terminal events only, until they unsubscribe", async () => {
      const { bus } = await open();
      const notices: QueryEndedNotice[] = [];
      const unsubscribe = await bus.onQueryEnded((notice) => notices.push(notice));
      const ref = refOf(makeJob());
      await bus.publishEvent(ref, started());
      const { seq } = await bus.publishEvent(ref, { type: "query.failed" });
      await expect.poll(() => notices.length, POLL).toBe(1);
      expect(notices).toEqual([{ ...ref, seq, type: "query.failed" }]);
      unsubscribe();
      const other = refOf(makeJob());
      await bus.publishEvent(other, completed());
      const lastSeen = deferred<QueryEndedNotice>();
      const unsubscribeLate = await bus.onQueryEnded((notice) => lastSeen.resolve(notice));
      const third = refOf(makeJob());
      await bus.publishEvent(third, completed());
      expect((await lastSeen.promise).queryUid).toBe(third.queryUid);
      unsubscribeLate();
      expect(notices).toHaveLength(1);
    });

    it("tells watchEvents listeners every query's events in order, from the subscription on, until they stop", async () => {
      const { bus } = await open();
      const before = refOf(makeJob("before"));
      await bus.publishEvent(before, started());
      const seen: BusEventEnvelope[] = [];
      const sizes: number[] = [];
      const stop = await bus.watchEvents((envelope, storedBytes) => {
        seen.push(envelope);
        sizes.push(storedBytes);
      });
      const a = refOf(makeJob("a"));
      const b = refOf(makeJob("b"));
      const seqs = [...(await publishAll(bus, a, [started(), chunk(1)])), ...(await publishAll(bus, b, [started()])), ...(await publishAll(bus, a, [completed()]))];
      await expect.poll(() => seen.length, POLL).toBe(4);
      expect(seen.map((e) => e.seq)).toEqual(seqs);
      expect(seen.map((e) => [e.queryUid, e.event])).toEqual([
        [a.queryUid, started()],
        [a.queryUid, chunk(1)],
        [b.queryUid, started()],
        [a.queryUid, completed()],
      ]);
      expect(seen[2]).toMatchObject({ namespace: b.namespace, name: b.name });
      // Each event's stored size: its JSON record, at least the event's own JSON.
      sizes.forEach((size, i) => expect(size).toBeGreaterThan(JSON.stringify(seen[i]!.event).length));
      stop();
      const lastSeen = deferred<BusEventEnvelope>();
      const stopLate = await bus.watchEvents((envelope) => lastSeen.resolve(envelope));
      await bus.publishEvent(b, completed());
      expect((await lastSeen.promise).event).toEqual(completed());
      stopLate();
      expect(seen).toHaveLength(4);
    });

    it("lets several readers follow the same query", async () => {
      const { bus } = await open();
      const ref = refOf(makeJob());
      const readers = [1, 2, 3].map(() => collect(bus.readEvents(ref, { follow: true })));
      await sleep(50);
      await publishAll(bus, ref, [started(), chunk(1), completed()]);
      for (const reader of readers) expect(eventsOf(await reader)).toEqual([started(), chunk(1), completed()]);
    });
  });
}
