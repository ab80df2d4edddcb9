import type { McpServerConnection } from "@ark/engine";
import { resolveHeaders, type MCPServer } from "@ark/kube";
import type { ArkResources } from "../resources.js";

/** An MCPServer's `spec.address` resolved in its namespace; an empty address is an error. */
export async function mcpServerAddress(server: MCPServer, resources: Pick<ArkResources, "resolveValueSource">): Promise<string> {
  const address = await resources.resolveValueSource(server.spec.address, server.metadata.namespace ?? "");
  if (!address) throw new Error("address cannot be empty");
  return address;
}

/** How to reach an MCPServer (discovery and tool calls alike): address, transport and `spec.headers` resolved. */
export async function mcpServerConnection(server: MCPServer, resources: Pick<ArkResources, "resolveValueSource" | "values">): Promise<McpServerConnection> {
  const url = await mcpServerAddress(server, resources);
  const headers = await resolveHeaders(server.spec.headers, server.metadata.namespace ?? "", resources.values);
  return { url, ...(server.spec.transport ? { transport: server.spec.transport } : {}), headers };
}
