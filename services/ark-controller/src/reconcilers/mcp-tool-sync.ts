import type { McpDiscoveredTool } from "@ark/engine";
import type { ArkClient, InformerCache, MCPServer, Tool } from "@ark/kube";
import { mcpServerKind, type ToolSpec } from "@ark/types";
import { labelledChildren, syncChildren, type ChildKind, type DesiredChild } from "./discovered-children.js";
import { mcpToolResourceNames } from "./mcp-tool-names.js";

/** Label on every Tool an MCPServer discovered (upstream Appendix A): the mark of mark & sweep. */
export const MCP_SERVER_LABEL = "mcp/server";

export interface McpToolSyncDeps {
  tools: InformerCache<Tool>;
  ark: Pick<ArkClient, "tools">;
}

/** Tool CRs the server's tools call for: type mcp, description, input schema as upstream, annotations. */
function desiredTools(server: MCPServer, discovered: readonly McpDiscoveredTool[]): DesiredChild<ToolSpec>[] {
  const serverName = server.metadata.name ?? "";
  const names = mcpToolResourceNames(
    serverName,
    discovered.map((tool) => tool.name),
  );
  return discovered.map((tool) => {
    const inputSchema = upstreamInputSchema(tool.inputSchema);
    const spec: ToolSpec = {
      type: "mcp",
      ...(tool.description ? { description: tool.description } : {}),
      ...(inputSchema ? { inputSchema } : {}),
      ...(tool.annotations && Object.keys(tool.annotations).length > 0 ? { annotations: tool.annotations } : {}),
      mcp: { mcpServerRef: { name: serverName, namespace: server.metadata.namespace ?? "" }, toolName: tool.name },
    };
    return { name: names.get(tool.name) ?? "", spec };
  });
}

function toolKind(deps: McpToolSyncDeps): ChildKind<ToolSpec, NonNullable<Tool["status"]>> {
  return { noun: "tool", label: MCP_SERVER_LABEL, owner: mcpServerKind, cache: deps.tools, client: deps.ark.tools };
}

/**
 * Mark & sweep in the server's namespace: creates missing Tools, rewrites changed ones, deletes labelled Tools the
 * server no longer lists. Returns the problems (empty when every Tool is as desired); never throws.
 */
export async function syncMcpTools(deps: McpToolSyncDeps, server: MCPServer, discovered: readonly McpDiscoveredTool[]): Promise<string[]> {
  return (await syncChildren(toolKind(deps), server, desiredTools(server, discovered))).problems;
}

/** Deletes every Tool labelled for the server (its address or connection is gone for good). */
export async function deleteMcpTools(deps: McpToolSyncDeps, server: MCPServer): Promise<string[]> {
  return syncMcpTools(deps, server, []);
}

export function labelledTools(tools: InformerCache<Tool>, namespace: string, server: string): Tool[] {
  return labelledChildren({ cache: tools, label: MCP_SERVER_LABEL }, namespace, server);
}

/** Upstream keeps `{type, properties, required}` of the MCP schema, and nothing when all three are empty. */
function upstreamInputSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!schema) return undefined;
  const picked: Record<string, unknown> = {};
  if (typeof schema.type === "string" && schema.type) picked.type = schema.type;
  if (isNonEmptyObject(schema.properties)) picked.properties = schema.properties;
  if (Array.isArray(schema.required) && schema.required.length > 0) picked.required = schema.required;
  return Object.keys(picked).length > 0 ? picked : undefined;
}

const isNonEmptyObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
