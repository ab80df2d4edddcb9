export { startArkStack, TEST_LOG_LEVEL, type ArkStack, type ArkStackOptions } from "./stack.js";
export { useArkStack } from "./use-stack.js";
export { openTestBus, type TestBus, type TestRunSettings } from "./bus.js";
export type { RunningApiServer } from "@ark/ark-apiserver";
