import { afterEach, describe, expect, it } from "vitest";
import type { QueryRunJob } from "@ark/types";
import { RunAbortedError } from "../run-aborted.js";
import type { RunConsumer, RunControl, RunExhausted } from "../types.js";
import { TEST_RUN_SETTINGS, deferred, makeJob, noExhaustion, refOf, sleep, POLL, type MakeBus } from "./harness.js";

export function describeRunConformance(makeBus: MakeBus): void {
  describe("run jobs", () => {
    const cleanups: Array<() => Promise<void>> = [];
    const open = async (settings = {}) => {
      const harness = await makeBus({ ...TEST_RUN_SETTINGS, ...settings });
      cleanups.push(() => harness.dispose());
      return harness;
    };
    const consumers: RunConsumer[] = [];
    const track = (consumer: RunConsumer) => (consumers.push(consumer), consumer);
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((c) => c.close({ graceMs: 0 })));
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it("delivers an enqueued job once, with attempt 1, and an acked job never comes back", async () => {
      const { bus } = await open();
      const seen: Array<[QueryRunJob, number]> = [];
      track(await bus.consumeRuns(async (job, ctl) => void seen.push([job, ctl.attempt]), { concurrency: 1, onExhausted: noExhaustion }));
      const job = makeJob();
      expect(await bus.enqueueRun(job)).toEqual({ duplicate: false });
      await expect.poll(() => seen.length, POLL).toBe(1);
      expect(seen[0]).toEqual([job, 1]);
      await sleep(TEST_RUN_SETTINGS.ackWaitMs * 1.5);
      expect(seen).toHaveLength(1);
    });

    it("drops a second job with the same queryUid", async () => {
      const { bus } = await open();
      const seen: string[] = [];
      const job = makeJob();
      expect(await bus.enqueueRun(job)).toEqual({ duplicate: false });
      expect(await bus.enqueueRun({ ...job, enqueuedAt: new Date().toISOString() })).toEqual({ duplicate: true });
      const later = makeJob();
      await bus.enqueueRun(later);
      track(await bus.consumeRuns(async (j) => void seen.push(j.queryUid), { concurrency: 1, onExhausted: noExhaustion }));
      await expect.poll(() => seen, POLL).toContain(later.queryUid);
      expect(seen.filter((uid) => uid === job.queryUid)).toHaveLength(1);
    });

    it("spreads jobs over two consumers, each job handled exactly once", async () => {
      const harness = await open();
      const peer = await harness.peer();
      const handled: Record<string, string[]> = { a: [], b: [] };
      let inFlight = 0;
      const allBusy = deferred();
      const handler = (who: "a" | "b") => async (job: QueryRunJob) => {
        handled[who]?.push(job.queryUid);
        if (++inFlight === 4) allBusy.resolve();
        await allBusy.promise;
        inFlight--;
      };
      track(await harness.bus.consumeRuns(handler("a"), { concurrency: 2, onExhausted: noExhaustion }));
      track(await peer.consumeRuns(handler("b"), { concurrency: 2, onExhausted: noExhaustion }));
      const jobs = Array.from({ length: 10 }, () => makeJob());
      for (const job of jobs) await harness.bus.enqueueRun(job);
      await expect.poll(() => (handled.a?.length ?? 0) + (handled.b?.length ?? 0), POLL).toBeGreaterThanOrEqual(jobs.length);
      await sleep(100);
      const all = [...(handled.a ?? []), ...(handled.b ?? [])];
      expect(all.sort()).toEqual(jobs.map((j) => j.queryUid).sort());
      expect(handled.a?.length).toBeGreaterThan(0);
      expect(handled.b?.length).toBeGreaterThan(0);
    });

    it("never runs more handlers than the concurrency", async () => {
      const { bus } = await open();
      let inFlight = 0;
      let maxInFlight = 0;
      let done = 0;
      track(
        await bus.consumeRuns(
          async () => {
            maxInFlight = Math.max(maxInFlight, ++inFlight);
            await sleep(40);
            inFlight--;
            done++;
          },
          { concurrency: 3, onExhausted: noExhaustion },
        ),
      );
      for (let i = 0; i < 12; i++) await bus.enqueueRun(makeJob());
      await expect.poll(() => done, POLL).toBe(12);
      expect(maxInFlight).toBeLessThanOrEqual(3);
      expect(maxInFlight).toBeGreaterThan(1);
    });

    it("redelivers a job whose handler throws, then calls onExhausted once after maxDeliver", async () => {
      const { bus } = await open();
      const attempts: number[] = [];
      const exhausted: Array<[QueryRunJob, RunExhausted]> = [];
      track(
        await bus.consumeRuns(
          async (_job, ctl) => {
            attempts.push(ctl.attempt);
            throw new Error(`model unreachable (attempt ${ctl.attempt})`);
          },
          { concurrency: 1, onExhausted: async (job, info) => void exhausted.push([job, info]) },
        ),
      );
      const job = makeJob();
      await bus.enqueueRun(job);
      await expect.poll(() => exhausted.length, POLL).toBe(1);
      await sleep(TEST_RUN_SETTINGS.ackWaitMs * 1.2);
      expect(attempts).toEqual([1, 2, 3]);
      expect(exhausted).toHaveLength(1);
      const [exhaustedJob, info] = exhausted[0] as [QueryRunJob, RunExhausted];
      expect(exhaustedJob).toEqual(job);
      expect(info).toMatchObject({ attempts: 3, maxDeliver: 3 });
      expect(info.reason).toContain("model unreachable (attempt 3)");
    });

    it("gives a job abandoned by a stopped consumer to another consumer after the ack wait", async () => {
      const harness = await open();
      const taken = deferred<RunControl>();
      const first = await harness.bus.consumeRuns(
        async (_job, ctl) => {
          taken.resolve(ctl);
          await new Promise((resolve) => ctl.signal.addEventListener("abort", resolve));
        },
        { concurrency: 1, onExhausted: noExhaustion },
      );
      const job = makeJob();
      await harness.bus.enqueueRun(job);
      const firstCtl = await taken.promise;
      await first.close({ graceMs: 0 });
      expect(firstCtl.signal.reason).toBeInstanceOf(RunAbortedError);
      expect((firstCtl.signal.reason as RunAbortedError).reason).toBe("shutdown");

      const peer = await harness.peer();
      const redelivered = deferred<[QueryRunJob, number]>();
      track(await peer.consumeRuns(async (j, ctl) => redelivered.resolve([j, ctl.attempt]), { concurrency: 1, onExhausted: noExhaustion }));
      expect(await redelivered.promise).toEqual([job, 2]);
    });

    it("fails the job through onExhausted when the worker of the last attempt disappears", async () => {
      const harness = await open({ maxDeliver: 1 });
      const taken = deferred();
      const first = await harness.bus.consumeRuns(
        async () => {
          taken.resolve();
          await new Promise(() => {});
        },
        { concurrency: 1, onExhausted: noExhaustion },
      );
      await harness.bus.enqueueRun(makeJob());
      await taken.promise;
      await first.close({ graceMs: 0 });
      const peer = await harness.peer();
      const exhausted = deferred<RunExhausted>();
      let handlerCalls = 0;
      track(
        await peer.consumeRuns(async () => void handlerCalls++, {
          concurrency: 1,
          onExhausted: async (_job, info) => exhausted.resolve(info),
        }),
      );
      const info = await exhausted.promise;
      expect(info).toMatchObject({ attempts: 1, maxDeliver: 1 });
      expect(info.error).toBeUndefined();
      expect(info.reason).toContain("stopped without finishing");
      expect(handlerCalls).toBe(0);
    });

    it("keeps a long run alive with heartbeats (no redelivery while the handler works)", async () => {
      const { bus } = await open();
      const attempts: number[] = [];
      let done = false;
      track(
        await bus.consumeRuns(
          async (_job, ctl) => {
            attempts.push(ctl.attempt);
            await sleep(TEST_RUN_SETTINGS.ackWaitMs * 2.5);
            done = true;
          },
          { concurrency: 2, onExhausted: noExhaustion },
        ),
      );
      await bus.enqueueRun(makeJob());
      await expect.poll(() => done, POLL).toBe(true);
      expect(attempts).toEqual([1]);
    });

    it("aborts a running handler when its query is canceled", async () => {
      const { bus } = await open();
      const started = deferred<AbortSignal>();
      const other = deferred<AbortSignal>();
      track(
        await bus.consumeRuns(
          async (job, ctl) => {
            (job.name.startsWith("cancel") ? started : other).resolve(ctl.signal);
            await new Promise((resolve) => ctl.signal.addEventListener("abort", resolve));
          },
          { concurrency: 2, onExhausted: noExhaustion },
        ),
      );
      const job = makeJob("cancel");
      await bus.enqueueRun(job);
      await bus.enqueueRun(makeJob("keep"));
      const signal = await started.promise;
      const otherSignal = await other.promise;
      await bus.requestCancel({ namespace: job.namespace, name: job.name, queryUid: job.queryUid }, "user asked");
      await expect.poll(() => signal.aborted, POLL).toBe(true);
      expect(signal.reason).toBeInstanceOf(RunAbortedError);
      expect(signal.reason).toMatchObject({ reason: "canceled", message: "user asked" });
      expect(otherSignal.aborted).toBe(false);
    });

    it("starts a job already canceled with an aborted signal", async () => {
      const { bus } = await open();
      const job = makeJob();
      await bus.requestCancel({ namespace: job.namespace, name: job.name, queryUid: job.queryUid }, "too late");
      await bus.enqueueRun(job);
      const started = deferred<AbortSignal>();
      track(await bus.consumeRuns(async (_job, ctl) => started.resolve(ctl.signal), { concurrency: 1, onExhausted: noExhaustion }));
      const signal = await started.promise;
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toMatchObject({ reason: "canceled", message: "too late" });
    });

    it("acks a job whose query already ended without running it", async () => {
      const { bus } = await open();
      const seen: string[] = [];
      const ended = makeJob();
      await bus.publishEvent(refOf(ended), { type: "query.completed" });
      await bus.enqueueRun(ended);
      const next = makeJob();
      await bus.enqueueRun(next);
      track(await bus.consumeRuns(async (job) => void seen.push(job.queryUid), { concurrency: 1, onExhausted: noExhaustion }));
      await expect.poll(() => seen, POLL).toContain(next.queryUid);
      await sleep(TEST_RUN_SETTINGS.ackWaitMs * 1.2);
      expect(seen).toEqual([next.queryUid]);
    });

    it("ends a consumer when its signal aborts", async () => {
      const { bus } = await open();
      const abort = new AbortController();
      const seen: string[] = [];
      const consumer = track(await bus.consumeRuns(async (job) => void seen.push(job.queryUid), { concurrency: 1, onExhausted: noExhaustion, signal: abort.signal }));
      abort.abort();
      await consumer.close();
      await bus.enqueueRun(makeJob());
      await sleep(200);
      expect(seen).toEqual([]);
    });
  });
}
