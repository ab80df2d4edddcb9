// The mock model every bench part calls (ARK's stacks and the peer alike), in its own process (mock-process.ts); its
// CPU is in neither side's cost.
import { forkBenchChild } from "./child.js";

export interface MockRequest {
  delayMs: number;
}

export interface BenchMock {
  url: string;
  setLatency(delayMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchMock(): Promise<BenchMock> {
  const child = await forkBenchChild<MockRequest>("mock-process.ts", "mock model");
  return { url: child.ready as string, setLatency: (delayMs) => child.call<void>({ delayMs }), close: () => child.close() };
}
