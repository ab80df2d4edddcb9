import { describe, expect, it } from "vitest";
import { ProbeSchedule } from "./probe-schedule.js";

const obj = (generation: number, observedGeneration = generation, uid = "u1") => ({ metadata: { uid, generation }, status: { observedGeneration } });

describe("ProbeSchedule", () => {
  it("probes afresh on a new uid, generation or fingerprint, or a status not written for this generation", () => {
    const schedule = new ProbeSchedule({ retryBaseMs: 1_000 });
    expect(schedule.current("ns/a", obj(1))).toBeUndefined();
    schedule.record("ns/a", obj(1), "http://a", true, undefined);
    expect(schedule.current("ns/a", obj(1), "http://a")).toMatchObject({ failures: 0 });
    expect(schedule.current("ns/a", obj(1), "http://b")).toBeUndefined();
    expect(schedule.current("ns/a", obj(2), "http://a")).toBeUndefined();
    expect(schedule.current("ns/a", obj(1, 0), "http://a")).toBeUndefined();
    expect(schedule.current("ns/a", obj(1, 1, "u2"), "http://a")).toBeUndefined();
    schedule.forget("ns/a");
    expect(schedule.current("ns/a", obj(1), "http://a")).toBeUndefined();
  });

  it("waits the interval after a success, and retries sooner after failures in a row, never later than the interval", () => {
    const schedule = new ProbeSchedule({ retryBaseMs: 1_000 });
    const ok = schedule.record("k", obj(1), "", true, undefined);
    expect(schedule.dueIn(ok, 60_000)).toBeGreaterThan(59_000);
    let last = schedule.record("k", obj(1), "", false, schedule.current("k", obj(1)));
    expect(last.failures).toBe(1);
    expect(schedule.delay(last.failures, 60_000)).toBe(1_000);
    last = schedule.record("k", obj(1), "", false, last);
    last = schedule.record("k", obj(1), "", false, last);
    expect(schedule.delay(last.failures, 60_000)).toBe(4_000);
    expect(schedule.delay(20, 60_000)).toBe(60_000);
    // A change starts the count again.
    expect(schedule.record("k", obj(2), "", false, schedule.current("k", obj(2))).failures).toBe(1);
  });

  it("caps the retry at retryMaxMs, also when the interval is endless", () => {
    const schedule = new ProbeSchedule({ retryBaseMs: 1_000, retryMaxMs: 300_000 });
    expect(schedule.delay(0, Infinity)).toBe(Infinity);
    expect(schedule.delay(30, Infinity)).toBe(300_000);
  });
});
