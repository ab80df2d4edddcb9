import { type AgentTool, agentToolResourceName, effectiveToolApproval } from "@ark/types";
import { EngineError } from "../errors.js";
import { withApproval } from "../tools/approval.js";
import { BUILTIN_TOOLS, builtinTool } from "../tools/builtin.js";
import { withFunctions } from "../tools/functions.js";
import { presentTool } from "../tools/partial.js";
import { ToolRegistry } from "../tools/registry.js";
import type { Tool } from "../tools/tool.js";
import { buildTool } from "./build-tool.js";
import type { TargetEnvironment } from "./environment.js";
import { resolveToolArguments, resolveToolFunctions } from "./tool-arguments.js";
import type { AgentResource, ToolResource } from "./resolver.js";

/** An Agent's `spec.tools` → its registry, in order (docs/upstream-compat.md §7.1, §7.2); Tools are read in the agent's namespace. */
export async function buildAgentTools(agent: AgentResource, env: TargetEnvironment): Promise<ToolRegistry> {
  const namespace = agent.metadata.namespace ?? "";
  const registry = new ToolRegistry();
  for (const [index, spec] of (agent.spec.tools ?? []).entries()) {
    const at = `agent ${namespace}/${agent.metadata.name ?? ""}: spec.tools[${index}]`;
    if (!spec.name) throw new EngineError("CONFIG_ERROR", `${at}: name must be specified for ${spec.type} tool`);
    const { tool, resource } = await entryTool(spec, spec.name, namespace, env, at);
    const functions = await resolveToolFunctions(spec.functions, namespace, env, `${at}.functions`);
    const filtered = withFunctions(tool, functions);
    if (!resource) {
      registry.register(withApproval(filtered, spec.approval, { type: "builtin" }));
      continue;
    }
    const approval = effectiveToolApproval(resource.spec.approval, spec.approval);
    const gate = { type: resource.spec.type, description: spec.description || resource.spec.description, annotations: resource.spec.annotations };
    registry.register(withApproval(filtered, approval, gate));
  }
  return registry;
}

/** One entry: a built-in, or the Tool it names shown under the entry's name, description and partial. */
async function entryTool(spec: AgentTool, name: string, namespace: string, env: TargetEnvironment, at: string): Promise<{ tool: Tool; resource?: ToolResource }> {
  if (spec.type === "built-in") return { tool: builtinTool(name) };
  const resourceName = agentToolResourceName(spec) ?? name;
  const resource = await env.resolver.getTool(namespace, resourceName);
  let tool: Tool;
  if (resource) tool = await buildTool(resource, env);
  // `builtin` entries name noop or terminate; a Tool of that name is optional.
  else if (spec.type === "builtin" && BUILTIN_TOOLS[resourceName]) tool = builtinTool(resourceName);
  else throw new EngineError("CONFIG_ERROR", `${at}: tool "${resourceName}" not found in namespace ${namespace}`);
  const hiddenArguments = await resolveToolArguments(spec.partial?.parameters, namespace, env, `${at}.partial.parameters`);
  const presented = presentTool(tool, { name, ...(spec.description ? { description: spec.description } : {}), ...(hiddenArguments ? { hiddenArguments } : {}) });
  return { tool: presented, ...(resource ? { resource } : {}) };
}
