import { runBusConformance } from "./conformance.js";
import { MemoryQueryBus } from "./memory/memory-bus.js";

runBusConformance("in-process", async (settings) => {
  const bus = new MemoryQueryBus({ runs: settings });
  return { bus, peer: async () => bus, dispose: () => bus.close() };
});
