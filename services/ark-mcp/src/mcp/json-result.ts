import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** A tool answer as JSON text (what upstream clients parse), plus structuredContent for object values. */
export function jsonResult(value: unknown, options: { isError?: boolean } = {}): CallToolResult {
  const structured = value !== null && typeof value === "object" && !Array.isArray(value) ? { structuredContent: value as Record<string, unknown> } : {};
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], ...structured, ...(options.isError ? { isError: true } : {}) };
}
