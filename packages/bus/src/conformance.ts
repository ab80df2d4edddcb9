import { describe } from "vitest";
import { describeEventConformance } from "./conformance/events.js";
import type { MakeBus } from "./conformance/harness.js";
import { describeRunConformance } from "./conformance/runs.js";

export type { BusHarness, MakeBus } from "./conformance/harness.js";

/** The behaviour every QueryBus implementation must show; each implementation's test file runs it. */
export function runBusConformance(name: string, makeBus: MakeBus): void {
  describe(`QueryBus conformance: ${name}`, () => {
    describeRunConformance(makeBus);
    describeEventConformance(makeBus);
  });
}
