/** A failure the MCP client should see as the tool's result (`isError: true`) with this message. */
export class McpToolError extends Error {
  override readonly name = "McpToolError";
}
