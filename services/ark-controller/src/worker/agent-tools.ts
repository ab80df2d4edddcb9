import { builtinTool, EngineError, ToolRegistry } from "@ark/engine";
import type { Agent } from "@ark/kube";
import type { ResourceLookup } from "../references/lookup.js";
import { describeAgent } from "../references/names.js";

/** The agent's spec.tools → a registry, in order (upstream §7.1). */
export async function agentTools(agent: Agent, lookup: ResourceLookup): Promise<ToolRegistry> {
  const registry = new ToolRegistry();
  const namespace = agent.metadata.namespace ?? "";
  for (const [index, spec] of (agent.spec.tools ?? []).entries()) {
    const at = `${describeAgent(agent)}: spec.tools[${index}]`;
    if (!spec.name) throw new EngineError("CONFIG_ERROR", `${at}: name is required`);
    if (spec.type === "built-in") {
      registry.register(builtinTool(spec.name));
      continue;
    }
    const tool = await lookup.tool(namespace, spec.name);
    if (!tool) throw new EngineError("CONFIG_ERROR", `${at}: tool "${spec.name}" not found in namespace ${namespace}`);
    // http and mcp tools join the engine in the tools issue; until then the query says so instead of guessing.
    throw new EngineError("CONFIG_ERROR", `${at}: tool "${spec.name}" has type ${tool.spec.type}, which this worker cannot run yet`);
  }
  return registry;
}
