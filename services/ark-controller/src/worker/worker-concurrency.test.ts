import { describe, expect, it } from "vitest";
import { autoWorkerConcurrency } from "./worker-concurrency.js";

const MiB = 1024 * 1024;

describe("autoWorkerConcurrency (WORKER_CONCURRENCY=auto)", () => {
  it("runs thousands of queries at once where the process can hold them, not a small fixed number", () => {
    expect(autoWorkerConcurrency({ heapLimitBytes: 4096 * MiB, openFiles: 1_048_576 })).toEqual({ concurrency: 4096, boundBy: "memory" });
    expect(autoWorkerConcurrency({ heapLimitBytes: 64 * 1024 * MiB })).toEqual({ concurrency: 10_000, boundBy: "maximum" });
  });

  it("follows a container's memory limit and the open-files limit, whichever holds fewer", () => {
    expect(autoWorkerConcurrency({ heapLimitBytes: 4096 * MiB, memoryLimitBytes: 512 * MiB })).toEqual({ concurrency: 512, boundBy: "memory" });
    expect(autoWorkerConcurrency({ heapLimitBytes: 4096 * MiB, openFiles: 1024 })).toEqual({ concurrency: 384, boundBy: "open files" });
    expect(autoWorkerConcurrency({ heapLimitBytes: 4096 * MiB, openFiles: 100 }).concurrency).toBe(1);
  });

  it("reads this process's limits when given none", () => {
    expect(autoWorkerConcurrency().concurrency).toBeGreaterThanOrEqual(1);
  });
});
