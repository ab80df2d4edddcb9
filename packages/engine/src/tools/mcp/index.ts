export { McpClientPool, type McpClientPoolOptions, type McpCallOptions } from "./pool.js";
export { mcpTool, mcpTimeoutMs, DEFAULT_MCP_TIMEOUT_MS, type McpToolOptions, type McpToolResource } from "./tool.js";
export type { McpServerConnection, McpTransportKind } from "./connection.js";
export { DEFAULT_CONNECT_POLICY, type ConnectPolicy } from "./connect.js";
export { resultText as mcpResultText } from "./result.js";
export { listMcpTools, type ListMcpToolsOptions, type McpDiscoveredTool, type McpToolListing } from "./discovery.js";
