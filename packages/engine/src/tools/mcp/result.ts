import type { CallToolResult, ContentBlock } from "@modelcontextprotocol/sdk/types.js";

/**
 * What the model sees of a `tools/call` result: text items as they are, every other item as JSON
 * (binary payloads replaced by their size, which the model cannot read anyway), one per line.
 */
export function resultText(result: CallToolResult): string {
  const parts = result.content.map(describeContent);
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.join("\n");
}

function describeContent(item: ContentBlock): string {
  switch (item.type) {
    case "text":
      return item.text;
    case "image":
    case "audio":
      return JSON.stringify({ ...item, data: binaryNote(item.data) }, null, 2);
    case "resource": {
      const resource = "blob" in item.resource ? { ...item.resource, blob: binaryNote(item.resource.blob) } : item.resource;
      return JSON.stringify({ ...item, resource }, null, 2);
    }
    default:
      return JSON.stringify(item, null, 2);
  }
}

function binaryNote(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4) - (base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0);
  return `<${bytes} bytes, base64, omitted>`;
}
