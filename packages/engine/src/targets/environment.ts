import type { ExecutionEngineHost } from "../external/engine/host.js";
import type { ProviderOptions } from "../providers/config.js";
import type { EgressGuard } from "../tools/egress.js";
import type { McpClientPool } from "../tools/mcp/pool.js";
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
  /** How many agent or team tool calls deep the runs built with this environment are (0 or absent: a query target). */
  toolDepth?: number;
}

