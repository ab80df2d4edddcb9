import type { AgentToolFunction } from "@ark/types";
import { EngineError, isEngineError } from "../errors.js";
import { renderTemplate } from "../prompt-template.js";
import { resolveParameters } from "./parameters.js";
import type { ToolFunction } from "../tools/functions.js";
import type { TargetEnvironment } from "./environment.js";

/**
 * `partial.parameters` → the hidden arguments (docs/upstream-compat.md §7.2): a `value` is a Go template over
 * `.Query.<name>` (the query's parameters), a `valueFrom` a ConfigMap or Secret key of the agent's namespace.
 */
export async function resolveToolArguments(parameters: readonly AgentToolFunction[] | undefined, namespace: string, env: TargetEnvironment, where: string): Promise<Record<string, string> | undefined> {
  if (!parameters?.length) return undefined;
  const values: Record<string, string> = {};
  for (const [index, parameter] of parameters.entries()) {
    const at = `${where}[${index}] (${parameter.name})`;
    values[parameter.name] = parameter.valueFrom ? await readValue(parameter, namespace, env, at) : renderTemplate(parameter.value ?? "", { Query: env.queryParameters ?? {} }, at);
  }
  return values;
}

/** `functions[]` with each `valueFrom` read (a jq expression kept in a ConfigMap or Secret). */
export async function resolveToolFunctions(functions: readonly AgentToolFunction[] | undefined, namespace: string, env: TargetEnvironment, where: string): Promise<ToolFunction[] | undefined> {
  if (!functions?.length) return undefined;
  const resolved: ToolFunction[] = [];
  for (const [index, fn] of functions.entries()) {
    const value = fn.valueFrom ? await readValue(fn, namespace, env, `${where}[${index}] (${fn.name})`) : fn.value;
    resolved.push({ name: fn.name, ...(value !== undefined ? { value } : {}) });
  }
  return resolved;
}

async function readValue(source: AgentToolFunction, namespace: string, env: TargetEnvironment, at: string): Promise<string> {
  try {
    const values = await resolveParameters([{ name: source.name, valueFrom: source.valueFrom }], namespace, env.resolver.configValues);
    return values[source.name] ?? "";
  } catch (error) {
    if (!isEngineError(error)) throw error;
    throw new EngineError("CONFIG_ERROR", `${at}: ${error.message}`, { cause: error });
  }
}
