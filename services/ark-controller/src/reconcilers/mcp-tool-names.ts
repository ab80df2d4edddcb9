import { createHash } from "node:crypto";

const MAX_NAME = 253;

/**
 * Tool CR name of a discovered MCP tool: upstream's `<server>-<lowercase(tool) with _ → ->`, then made a valid
 * RFC 1123 name that is also a valid function name for the model: any other character outside [a-z0-9-] (dots
 * included) becomes `-`, leading/trailing `-` go, and a name over 253 characters is cut and given a hash suffix.
 */
export function mcpToolResourceName(server: string, tool: string): string {
  const suffix = tool
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^-+|-+$/g, "");
  const name = suffix ? `${server}-${suffix}` : `${server}-${hashOf(tool)}`;
  return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 9).replace(/-+$/, "")}-${hashOf(tool)}`;
}

/** Names for every tool of a server; a tool whose name collides with an earlier one's gets a hash suffix. */
export function mcpToolResourceNames(server: string, tools: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const tool of tools) {
    let name = mcpToolResourceName(server, tool);
    if (taken.has(name)) name = `${name.slice(0, MAX_NAME - 9)}-${hashOf(tool)}`;
    taken.add(name);
    names.set(tool, name);
  }
  return names;
}

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}
