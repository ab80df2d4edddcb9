import { EngineError } from "../errors.js";
import { formatGoValue } from "@ark/gotemplate";
import type { Tool } from "./tool.js";

/** Answers with the arguments as Go's `%v` prints them (`map[message:hi]`), as upstream; never fails. */
export const noopTool: Tool = {
  kind: "builtin",
  definition: {
    type: "function",
    function: {
      name: "noop",
      description: "A no-operation tool that does nothing and returns success",
      parameters: {
        type: "object",
        properties: { message: { type: "string", description: "Optional message to include in the response" } },
      },
    },
  },
  async execute(rawArguments) {
    return { content: formatGoValue(parseObject(rawArguments) ?? {}) };
  },
};

/** Ends the agent; its `response` becomes the answer (teams stop on it). */
export const terminateTool: Tool = {
  kind: "builtin",
  definition: {
    type: "function",
    function: {
      name: "terminate",
      description: "Use this function to provide a final response to the user and then end the current conversation",
      parameters: {
        type: "object",
        properties: { response: { type: "string", description: "The message to send before ending the conversation" } },
        required: ["response"],
      },
    },
  },
  async execute(rawArguments) {
    const response = parseObject(rawArguments)?.["response"];
    if (typeof response !== "string") throw new Error('no response: terminate needs a string argument "response"');
    return { content: response, terminate: true };
  },
};

export const BUILTIN_TOOLS: Readonly<Record<string, Tool>> = { noop: noopTool, terminate: terminateTool };

/** `{type: built-in, name}` of an Agent's `spec.tools`. */
export function builtinTool(name: string): Tool {
  const tool = BUILTIN_TOOLS[name];
  if (!tool) throw new EngineError("CONFIG_ERROR", `unsupported built-in tool ${name}`);
  return tool;
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
