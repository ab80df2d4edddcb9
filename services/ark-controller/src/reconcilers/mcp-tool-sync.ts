import { isDeepStrictEqual } from "node:util";
import type { McpDiscoveredTool } from "@ark/engine";
import { apiErrorMessage, isConflict, type ArkClient, type InformerCache, type MCPServer, type Tool } from "@ark/kube";
import { mcpServerKind, type ToolSpec } from "@ark/types";
import type { V1OwnerReference } from "@kubernetes/client-node";
import { mcpToolResourceNames } from "./mcp-tool-names.js";

/** Label on every Tool an MCPServer discovered (upstream Appendix A): the mark of mark & sweep. */
export const MCP_SERVER_LABEL = "mcp/server";

export interface McpToolSyncDeps {
  tools: InformerCache<Tool>;
  ark: Pick<ArkClient, "tools">;
}

interface DesiredTool {
  name: string;
  spec: ToolSpec;
}

/** Tool CRs the server's tools call for: type mcp, description, input schema as upstream, annotations. */
function desiredTools(server: MCPServer, discovered: readonly McpDiscoveredTool[]): DesiredTool[] {
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

/**
 * Mark & sweep in the server's namespace: creates missing Tools, rewrites changed ones, deletes labelled Tools the
 * server no longer lists. Returns the problems (empty when every Tool is as desired); never throws.
 */
export async function syncMcpTools(deps: McpToolSyncDeps, server: MCPServer, discovered: readonly McpDiscoveredTool[]): Promise<string[]> {
  const namespace = server.metadata.namespace ?? "";
  const serverName = server.metadata.name ?? "";
  const desired = desiredTools(server, discovered);
  const wanted = new Set(desired.map((tool) => tool.name));
  const problems: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      problems.push(`${what}: ${apiErrorMessage(error)}`);
    }
  };
  for (const tool of desired) {
    await attempt(`tool ${tool.name}`, () => applyTool(deps, server, tool));
  }
  for (const existing of labelledTools(deps.tools, namespace, serverName)) {
    const name = existing.metadata.name ?? "";
    if (!wanted.has(name)) await attempt(`delete tool ${name}`, () => deps.ark.tools.delete(namespace, name));
  }
  return problems;
}

/** Deletes every Tool labelled for the server (its address or connection is gone for good). */
export async function deleteMcpTools(deps: McpToolSyncDeps, server: MCPServer): Promise<string[]> {
  return syncMcpTools(deps, server, []);
}

export function labelledTools(tools: InformerCache<Tool>, namespace: string, server: string): Tool[] {
  return tools.list(namespace).filter((tool) => tool.metadata.labels?.[MCP_SERVER_LABEL] === server);
}

async function applyTool(deps: McpToolSyncDeps, server: MCPServer, tool: DesiredTool): Promise<void> {
  const namespace = server.metadata.namespace ?? "";
  const owner = ownerReference(server);
  const cached = deps.tools.get(namespace, tool.name);
  if (!cached) {
    try {
      await deps.ark.tools.create({ metadata: { name: tool.name, namespace, labels: { [MCP_SERVER_LABEL]: owner.name }, ownerReferences: [owner] }, spec: tool.spec });
      return;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  // The cache may lag behind our own writes: on a conflict, read fresh and try once more.
  let current = cached ?? (await deps.ark.tools.get(namespace, tool.name));
  for (let attempt = 1; current; attempt++) {
    const controller = current.metadata.ownerReferences?.find((ref) => ref.controller);
    if (controller && controller.uid !== owner.uid) throw new Error(`exists and is controlled by ${controller.kind} ${controller.name}`);
    if (!controller && current.metadata.labels?.[MCP_SERVER_LABEL] !== owner.name) throw new Error("exists and was not discovered from this MCPServer");
    const upToDate = controller && current.metadata.labels?.[MCP_SERVER_LABEL] === owner.name && isDeepStrictEqual(current.spec, tool.spec);
    if (upToDate) return;
    const others = (current.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== owner.uid);
    try {
      await deps.ark.tools.replace({
        ...current,
        metadata: { ...current.metadata, labels: { ...current.metadata.labels, [MCP_SERVER_LABEL]: owner.name }, ownerReferences: [...others, owner] },
        spec: tool.spec,
      });
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= 2) throw error;
      current = await deps.ark.tools.get(namespace, tool.name);
    }
  }
}

function ownerReference(server: MCPServer): V1OwnerReference & { name: string; uid: string } {
  return {
    apiVersion: `${mcpServerKind.group}/${mcpServerKind.version}`,
    kind: mcpServerKind.kind,
    name: server.metadata.name ?? "",
    uid: server.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
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

const isNonEmptyObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
