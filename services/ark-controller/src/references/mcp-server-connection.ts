import type { McpServerConnection } from "@ark/engine";
import { resolveHeaders, type MCPServer } from "@ark/kube";
import type { ArkResources } from "../resources.js";
import { serverAddress } from "./server-address.js";

/**
 * How to reach an MCPServer (discovery and tool calls alike): address, transport and `spec.headers` resolved; a header
 * read from a query parameter is sent only on a query's calls (`queryParameters`), not on discovery.
 */
export async function mcpServerConnection(server: MCPServer, resources: Pick<ArkResources, "resolveValueSource" | "values">, queryParameters?: Record<string, string>): Promise<McpServerConnection> {
  const url = await serverAddress(server, resources);
  const headers = await resolveHeaders(server.spec.headers, server.metadata.namespace ?? "", resources.values, queryParameters ? { queryParameters } : {});
  return { url, ...(server.spec.transport ? { transport: server.spec.transport } : {}), headers };
}
