import type { ResourceResolver } from "@ark/engine";
import type { QueryTarget } from "@ark/types";
import { a2aServerTarget } from "../references/a2a-server-connection.js";
import { mcpServerConnection } from "../references/mcp-server-connection.js";
import type { ResourceLookup } from "../references/lookup.js";
import { labelSelectorString } from "../references/selector-targets.js";
import type { ArkResources } from "../resources.js";

/** The engine's view of the cluster for one worker: resources through `lookup`, value sources through `resources` (informer caches with a GET on a miss, or the API alone). */
export function targetResolver(resources: ArkResources, lookup: ResourceLookup): ResourceResolver {
  const lists = {
    agent: resources.ark.agents,
    team: resources.ark.teams,
    model: resources.ark.models,
    tool: resources.ark.tools,
  } satisfies Record<QueryTarget["type"], unknown>;
  return {
    getAgent: (namespace, name) => lookup.agent(namespace, name),
    getTeam: (namespace, name) => lookup.team(namespace, name),
    getModel: (namespace, name) => lookup.model(namespace, name),
    getTool: (namespace, name) => lookup.tool(namespace, name),
    resolveValue: resources.resolveValueSource,
    configValues: resources.configValues,
    async listNames(kind, namespace, selector) {
      const items: { metadata: { name?: string } }[] = await lists[kind].list(namespace, { labelSelector: labelSelectorString(selector) });
      return items.map((item) => item.metadata.name ?? "");
    },
    async getMcpServer(namespace, name, queryParameters) {
      const server = await resources.ark.mcpServers.get(namespace, name);
      if (!server) return undefined;
      return {
        connection: await mcpServerConnection(server, resources, queryParameters),
        timeout: server.spec.timeout,
        ...(server.metadata.labels ? { labels: server.metadata.labels } : {}),
      };
    },
    async getExecutionEngine(namespace, name) {
      const engine = await resources.ark.executionEngines.get(namespace, name);
      if (!engine) return undefined;
      return { address: await resources.resolveValueSource(engine.spec.address, namespace) };
    },
    async getA2AServer(namespace, name, queryParameters) {
      const server = await resources.ark.a2aServers.get(namespace, name);
      return server ? a2aServerTarget(server, resources, queryParameters) : undefined;
    },
  };
}
