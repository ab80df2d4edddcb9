export type { SessionMemory } from "./session-memory.js";
export { httpSessionMemory, DEFAULT_MEMORY_TIMEOUT_MS, type HttpSessionMemoryOptions } from "./http-memory.js";
