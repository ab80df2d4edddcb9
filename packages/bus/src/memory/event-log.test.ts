import { describe, expect, it } from "vitest";
import { DEFAULT_EVENT_RETENTION } from "../event-retention.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../payload-limit.js";
import { collect, makeJob, refOf, sleep } from "../conformance/harness.js";
import { MemoryEventLog } from "./event-log.js";

const logWith = (retention: Partial<typeof DEFAULT_EVENT_RETENTION>) => new MemoryEventLog<{ type: string; n: number }>({ ...DEFAULT_EVENT_RETENTION, ...retention }, DEFAULT_MAX_PAYLOAD_BYTES);
const numbers = async (log: ReturnType<typeof logWith>, ref: ReturnType<typeof refOf>) => (await collect(log.read(ref, { follow: false }))).map((e) => e.event.n);

describe("in-process event log retention", () => {
  it("keeps the newest maxEventsPerQuery events of a query", async () => {
    const log = logWith({ maxEventsPerQuery: 3 });
    const ref = refOf(makeJob());
    for (let n = 1; n <= 5; n++) log.append(ref, { type: "chunk", n });
    expect(await numbers(log, ref)).toEqual([3, 4, 5]);
  });

  it("drops the oldest events of any query past maxBytes", async () => {
    const log = logWith({ maxBytes: 1000 });
    const a = refOf(makeJob());
    const b = refOf(makeJob());
    for (let n = 1; n <= 10; n++) log.append(n % 2 ? a : b, { type: "chunk", n });
    const kept = [...(await numbers(log, a)), ...(await numbers(log, b))].sort((x, y) => x - y);
    expect(kept.length).toBeLessThan(10);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 10 - kept.length + 1 + i));
  });

  it("forgets events older than maxAgeMs", async () => {
    const log = logWith({ maxAgeMs: 50 });
    const ref = refOf(makeJob());
    log.append(ref, { type: "chunk", n: 1 });
    await sleep(80);
    log.append(ref, { type: "chunk", n: 2 });
    expect(await numbers(log, ref)).toEqual([2]);
  });
});
