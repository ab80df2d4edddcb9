import { agentDefinition } from "../agent/definition.js";
import type { AgentDefinition } from "../agent/loop.js";
import { EngineError } from "../errors.js";
import type { ModelProvider } from "../providers/provider.js";
import { resolveParameters } from "./parameters.js";
import type { ToolRegistry } from "../tools/registry.js";
import { buildAgentTools } from "./agent-tools.js";
import type { TargetEnvironment } from "./environment.js";
import { modelProviderFor } from "./model-provider.js";
import { resolveOverrides } from "./overrides.js";

export const DEFAULT_MODEL_NAME = "default";

export interface LoadedAgent {
  definition: AgentDefinition;
  provider: ModelProvider;
  tools: ToolRegistry;
  description?: string;
}

/** An Agent by name → what the loop runs: its model's provider, tools, and resolved prompt parameters (docs/upstream-compat.md §6.5). */
export async function loadAgent(namespace: string, name: string, env: TargetEnvironment): Promise<LoadedAgent> {
  const agent = await env.resolver.getAgent(namespace, name);
  if (!agent) throw new EngineError("CONFIG_ERROR", `agent "${name}" not found in namespace ${namespace}`);
  const where = `agent ${namespace}/${name}`;
  if (agent.spec.executionEngine) {
    throw new EngineError("CONFIG_ERROR", `${where}: spec.executionEngine ${agent.spec.executionEngine.name} is not supported by this worker`);
  }
  const ref = agent.spec.modelRef;
  const modelNamespace = ref?.namespace || namespace;
  const modelName = ref?.name || DEFAULT_MODEL_NAME;
  const model = await env.resolver.getModel(modelNamespace, modelName);
  if (!model) {
    const fallback = ref ? "" : " (no spec.modelRef: the default model)";
    throw new EngineError("CONFIG_ERROR", `${where}: model "${modelName}" not found in namespace ${modelNamespace}${fallback}`);
  }
  // The agent's overrides come first: the query's, already in env, win over them.
  const own = await resolveOverrides(agent.spec.overrides, `${where}: spec.overrides`, {
    read: (source) => env.resolver.resolveValue(source, namespace),
    queryParameters: env.queryParameters ?? {},
  });
  const agentEnv: TargetEnvironment = own.length ? { ...env, overrides: [...own, ...(env.overrides ?? [])] } : env;
  const provider = await modelProviderFor(model, agentEnv);
  const tools = await buildAgentTools(agent, agentEnv);
  const parameters = agent.spec.parameters?.length ? await resolveParameters(agent.spec.parameters, namespace, env.resolver.configValues, env.queryParameters ?? {}) : undefined;
  return { definition: agentDefinition({ namespace, name }, agent.spec, parameters), provider, tools, description: agent.spec.description };
}
