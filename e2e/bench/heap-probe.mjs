// Preloaded (--import) into a benchmark's service process: on the parent's "heap" message a full GC, then the heap
// still in use goes back, so the bench reads what the process holds, not the garbage it has not collected yet.
// BENCH_HEAP_SNAPSHOT=dir: each read also writes a heap snapshot there (open two in Chrome DevTools, "Comparison").
// Plain JavaScript: it is preloaded into services run from their compiled dist/, with no TypeScript loader.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { getHeapStatistics, writeHeapSnapshot } from "node:v8";

const gc = globalThis.gc;
if (!gc) throw new Error("heap-probe: the process needs --expose-gc");
const snapshots = process.env.BENCH_HEAP_SNAPSHOT;
let reads = 0;
process.on("message", (message) => {
  if (message !== "heap") return;
  gc();
  const heapUsedBytes = getHeapStatistics().used_heap_size;
  if (snapshots) {
    mkdirSync(snapshots, { recursive: true });
    writeHeapSnapshot(join(snapshots, `${process.pid}-${reads++}.heapsnapshot`));
  }
  process.send?.({ heapUsedBytes });
});
// The IPC channel must not keep the service running once it is told to stop.
process.channel?.unref();
