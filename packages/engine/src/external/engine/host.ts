import type { ToolCallbackHost } from "./tool-callback.js";

/** What a worker provides for agents run by an ExecutionEngine. */
export interface ExecutionEngineHost {
  /** Sent as `Authorization: Bearer` on /execute and /cancel (the engines' ENGINE_TOKEN). */
  authToken?: string;
  /** Serves the agents' tools to engines; without it, engine-run agents get no tools. */
  toolCallbacks?: ToolCallbackHost;
}
