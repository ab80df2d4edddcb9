import { ClassifiedError } from "@ark/types";

/** A failure the MCP client should see as the tool's result (`isError: true`) with this message. */
export class McpToolError extends ClassifiedError {
  override readonly name = "McpToolError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "TOOL_ERROR", message, options);
  }
}
