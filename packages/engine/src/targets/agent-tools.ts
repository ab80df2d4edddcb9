import { effectiveToolApproval } from "@ark/types";
import { EngineError } from "../errors.js";
import { withApproval } from "../tools/approval.js";
import { builtinTool } from "../tools/builtin.js";
import { withFunctions } from "../tools/functions.js";
import { ToolRegistry } from "../tools/registry.js";
import { buildTool } from "./build-tool.js";
import type { TargetEnvironment } from "./environment.js";
import type { AgentResource } from "./resolver.js";

/** An Agent's `spec.tools` → its registry, in order (docs/upstream-compat.md §7.1); Tools are read in the agent's namespace. */
export async function buildAgentTools(agent: AgentResource, env: TargetEnvironment): Promise<ToolRegistry> {
  const namespace = agent.metadata.namespace ?? "";
  const registry = new ToolRegistry();
  for (const [index, spec] of (agent.spec.tools ?? []).entries()) {
    const at = `agent ${namespace}/${agent.metadata.name ?? ""}: spec.tools[${index}]`;
    if (!spec.name) throw new EngineError("CONFIG_ERROR", `${at}: name must be specified for ${spec.type} tool`);
    if (spec.type === "built-in") {
      registry.register(withApproval(withFunctions(builtinTool(spec.name), spec.functions), spec.approval, { type: "builtin" }));
      continue;
    }
    const tool = await env.resolver.getTool(namespace, spec.name);
    if (!tool) throw new EngineError("CONFIG_ERROR", `${at}: tool "${spec.name}" not found in namespace ${namespace}`);
    const approval = effectiveToolApproval(tool.spec.approval, spec.approval);
    const gate = { type: tool.spec.type, description: tool.spec.description, annotations: tool.spec.annotations };
    registry.register(withApproval(withFunctions(await buildTool(tool, env), spec.functions), approval, gate));
  }
  return registry;
}
