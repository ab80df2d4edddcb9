import { apiErrorMessage } from "@ark/kube";
import { canUseNamespace } from "@ark/service-kit";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, type ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { agentSummary } from "../ark/summaries.js";
import type { ArkMcpDeps } from "./deps.js";

function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value, null, 2) }] };
}

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

async function reading<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof McpError) throw err;
    throw new McpError(ErrorCode.InternalError, `could not read ${what}: ${apiErrorMessage(err)}`);
  }
}

/** Upstream's resources: the namespaces, the agents of one, and one agent's full object. */
export function registerResources(server: McpServer, deps: ArkMcpDeps): void {
  const namespaceNames = () => reading("namespaces", async () => (await deps.core.api.listNamespace()).items.map((ns) => ns.metadata?.name ?? "").filter((name) => name && canUseNamespace(deps.principal, name)));
  const allowed = (namespace: string): string => {
    if (!canUseNamespace(deps.principal, namespace)) throw new McpError(ErrorCode.InvalidParams, `${deps.principal.id} may not use namespace ${namespace}`);
    return namespace;
  };

  server.registerResource("namespaces", "ark://namespaces", { title: "Namespaces", description: "Available Kubernetes namespaces", mimeType: "application/json" }, async (uri) =>
    json(uri, { namespaces: await namespaceNames(), description: "Available Kubernetes namespaces" }),
  );

  server.registerResource(
    "namespace-agents",
    new ResourceTemplate("ark://namespaces/{namespace}/agents", {
      list: async () => ({
        resources: (await namespaceNames()).map((ns) => ({ uri: `ark://namespaces/${ns}/agents`, name: `agents in ${ns}`, mimeType: "application/json" })),
      }),
    }),
    { title: "Agents in a namespace", description: "The agents of one namespace", mimeType: "application/json" },
    async (uri, variables) => {
      const namespace = allowed(single(variables["namespace"]));
      const agents = await reading(`agents in namespace ${namespace}`, () => deps.ark.agents.list(namespace));
      return json(uri, { namespace, agents: agents.map(agentSummary), count: agents.length });
    },
  );

  server.registerResource(
    "agent",
    new ResourceTemplate("ark://namespaces/{namespace}/agents/{agent}", { list: undefined }),
    { title: "Agent", description: "One agent's full resource", mimeType: "application/json" },
    async (uri, variables) => {
      const namespace = allowed(single(variables["namespace"]));
      const name = single(variables["agent"]);
      const agent = await reading(`agent ${namespace}/${name}`, () => deps.ark.agents.get(namespace, name));
      if (!agent) throw new McpError(ErrorCode.InvalidParams, `agent "${name}" not found in namespace ${namespace}`);
      return json(uri, agent);
    },
  );
}
