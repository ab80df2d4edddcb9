import type { Tool } from "./tool.js";

/** How an Agent's `spec.tools[]` entry shows a Tool to the model (docs/upstream-compat.md §7.2). */
export interface ToolPresentation {
  /** The function name the model calls (the entry's name). */
  name: string;
  /** Replaces the Tool's description. */
  description?: string;
  /** `partial.parameters`, resolved: set on every call, removed from the schema the model sees. */
  hiddenArguments?: Record<string, string>;
}

/** `tool` under the entry's name and description, with the partial's hidden arguments injected over the model's. */
export function presentTool(tool: Tool, presentation: ToolPresentation): Tool {
  const hidden = presentation.hiddenArguments ?? {};
  const hiddenNames = Object.keys(hidden);
  const fn = tool.definition.function;
  const description = presentation.description || fn.description;
  const definition = {
    type: "function" as const,
    function: {
      name: presentation.name,
      ...(description !== undefined ? { description } : {}),
      parameters: hiddenNames.length > 0 ? withoutProperties(fn.parameters, hiddenNames) : fn.parameters,
    },
  };
  if (hiddenNames.length === 0) return { ...tool, definition };
  return {
    ...tool,
    definition,
    execute(rawArguments, context) {
      // The preset values win over anything the model sent under the same names.
      return tool.execute(JSON.stringify({ ...parseArguments(rawArguments), ...hidden }), context);
    },
  };
}

function withoutProperties(schema: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const result = { ...schema };
  const properties = schema["properties"];
  if (properties && typeof properties === "object" && !Array.isArray(properties)) {
    result["properties"] = Object.fromEntries(Object.entries(properties).filter(([key]) => !names.includes(key)));
  }
  const required = schema["required"];
  if (Array.isArray(required)) result["required"] = required.filter((key) => !names.includes(key as string));
  return result;
}

function parseArguments(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (cause) {
    throw new Error(`failed to parse arguments: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("failed to parse arguments: not a JSON object");
  return value as Record<string, unknown>;
}
