import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ArkMcpDeps } from "./deps.js";
import { registerApprovalTools } from "./approval-tools.js";
import { registerListTools } from "./list-tools.js";
import { registerQueryTools } from "./query-tools.js";
import { registerResources } from "./resources.js";

const SERVER_INFO = { name: "ark", title: "ARK", version: "0.1.0" };

/** One MCP server per session; they share the deps (clients, bus). */
export function createMcpServer(deps: ArkMcpDeps): McpServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { logging: {}, tools: {}, resources: {} },
    instructions: "ARK runs AI agents, teams and models as Kubernetes resources. List them with list_agents, list_teams, list_models; ask one with query; read a past query with get_query.",
  });
  registerListTools(server, deps);
  registerQueryTools(server, deps);
  registerApprovalTools(server, deps);
  registerResources(server, deps);
  return server;
}
