export { fuzzSeed, seededRandom, type FuzzRandom } from "./random.js";
export { deepJsonText, fieldPaths, hugeJsonText, invalidUtf8Json, oddKeys, oddStrings, randomJson, withField, wrongTypesFor, wrongTypeVariants } from "./values.js";
export { fuzzKinds, fuzzRequests, randomFuzzRequests, type FuzzKind, type FuzzRequest, type FuzzSample, type FuzzSurface } from "./requests.js";
export { describeOutcome, fuzzFailures, sendFuzzRequests, type FuzzOutcome, type FuzzTarget, type SendOptions } from "./send.js";
export { heapUsedAfterGc } from "./heap.js";
