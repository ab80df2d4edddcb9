import type { A2ATaskRecorder } from "../a2a/task-log.js";
import type { ExecutionEngineHost } from "../external/engine/host.js";
import type { ProviderOptions } from "../providers/config.js";
import type { EgressGuard } from "../tools/egress.js";
import type { McpClientPool } from "../tools/mcp/pool.js";
import type { HeaderOverride } from "./overrides.js";
import type { ResourceResolver } from "./resolver.js";

/** What building agents, teams and tools needs besides the resources: shared per worker, not per query. */
export interface TargetEnvironment {
  resolver: ResourceResolver;
  /** HTTP tool egress rules; the default refuses cloud metadata addresses. */
  egress?: EgressGuard;
  /** Needed for Tools of type mcp. */
  mcpPool?: McpClientPool;
  /** Connection pools and retry policy for the providers the engine builds. */
  providerOptions?: ProviderOptions;
  /** Agents with spec.executionEngine: the engines' bearer token and the tool callback. */
  executionEngines?: ExecutionEngineHost;
  /** The query's resolved `spec.parameters`: partial tool parameters render over them as `.Query.<name>`. */
  queryParameters?: Record<string, string>;
  /** Records the remote tasks A2A agents run (the worker's A2ATask resources); absent: not recorded. */
  a2aTasks?: A2ATaskRecorder;
  /**
   * Headers for the Models and MCPServers this run calls, selected by label: the agent's `overrides`, then the query's
   * (a later one wins; docs/upstream-compat.md §6.9).
   */
  overrides?: HeaderOverride[];
  /** How many agent or team tool calls deep the runs built with this environment are (0 or absent: a query target). */
  toolDepth?: number;
}
