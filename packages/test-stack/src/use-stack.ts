import { afterAll, beforeAll } from "vitest";
import { startArkStack, type ArkStack, type ArkStackOptions } from "./stack.js";

/**
 * The suite's stack, started in beforeAll and stopped in afterAll. Read `suite.stack` inside tests and hooks (it is set
 * once beforeAll ran); a suite's own beforeAll registered after this one runs after the stack started, and what it
 * starts on the stack it hands to `stack.onStop`.
 */
export function useArkStack(options: ArkStackOptions = {}): { readonly stack: ArkStack } {
  let started: ArkStack | undefined;
  beforeAll(async () => {
    started = await startArkStack(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get stack() {
      if (!started) throw new Error("useArkStack: the stack starts in beforeAll");
      return started;
    },
  };
}
