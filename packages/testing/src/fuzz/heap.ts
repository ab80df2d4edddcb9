import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/** This process's used heap after full garbage collections (gc exposed at run time: no --expose-gc flag needed). */
export async function heapUsedAfterGc(): Promise<number> {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  // Several rounds with turns of the event loop between: finalizers and closed sockets release more on the next pass.
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
}
