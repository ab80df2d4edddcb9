import { runToolCall } from "../agent/run-tool-call.js";
import { EngineError } from "../errors.js";
import { contextEmitter } from "../events/emit.js";
import { ToolRegistry } from "../tools/registry.js";
import { buildTool } from "./build-tool.js";
import { targetNotFound, type TargetRunner } from "./target-run.js";

/** Target type tool (docs/upstream-compat.md §6.7.4): the input as JSON object arguments (else `{input}`), one call, its result the answer. */
export const runToolTarget: TargetRunner = async (request) => {
  const { namespace, target, input, signal } = request;
  const resource = await request.resolver.getTool(namespace, target.name);
  if (!resource) throw targetNotFound(request);
  const tool = await buildTool(resource, request);
  const call = { id: `tool-call-${target.name}`, type: "function" as const, function: { name: tool.definition.function.name, arguments: JSON.stringify(toolArguments(input)) } };
  const emit = contextEmitter(request.emit, { target });
  const outcome = await runToolCall(call, new ToolRegistry([tool]), { agent: "", signal, emit });
  if (outcome.error !== undefined) throw new EngineError("TOOL_FAILED", `tool ${namespace}/${target.name}: ${outcome.error}`);
  const content = outcome.message.content;
  return { content, messages: [{ role: "assistant", content }] };
};

export function toolArguments(input: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(input);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON: the raw input becomes {input}
  }
  return { input };
}
