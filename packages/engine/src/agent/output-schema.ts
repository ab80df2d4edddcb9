import { EngineError } from "../errors.js";
import type { ResponseFormat } from "../providers/provider.js";

/** `response_format` for an agent with `spec.outputSchema` (docs/upstream-compat.md §6.5; no `strict`). */
export function outputSchemaFormat(namespace: string, name: string, schema: Record<string, unknown>): ResponseFormat {
  return { type: "json_schema", json_schema: { name: responseFormatName(namespace, name), schema } };
}

/** OpenAI allows [a-zA-Z0-9_-]{1,64}; agent names may hold dots. */
export function responseFormatName(namespace: string, name: string): string {
  return sanitizeName(`namespace-${namespace}-agent-${name}`).slice(0, 64);
}

export function sanitizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_");
}

/** The final answer of an outputSchema agent must be JSON. */
export function checkJsonAnswer(content: string, agent: string): void {
  try {
    JSON.parse(content);
  } catch (error) {
    const start = content.length > 120 ? `${content.slice(0, 120)}…` : content;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError("INVALID_OUTPUT", `agent ${agent}: the answer is not valid JSON for spec.outputSchema (${reason}): ${JSON.stringify(start)}`, { cause: error });
  }
}
