export type { ExecutionEngineHost } from "./host.js";
export { ToolCallbackSessions, TOOL_CALLBACK_PATH, type ToolCallbackHost, type ToolCallbackOutcome } from "./tool-callback.js";
export { runEngineAgent } from "./run-engine-agent.js";
