import { RESERVED_EXECUTION_ENGINE_NAME, type TeamSpec } from "@ark/types";
import { a2aAgentMember } from "../a2a/member.js";
import { isA2AAgent } from "../a2a/run.js";
import { EngineError } from "../errors.js";
import { engineAgentMember } from "../external/engine/member.js";
import { agentMember, type TeamMember } from "../teams/member.js";
import { type TeamDefinition, type TeamSelector, teamMember } from "../teams/team.js";
import type { TargetEnvironment } from "./environment.js";
import { DEFAULT_MODEL_NAME, loadAgent } from "./load-agent.js";
import { modelProviderFor } from "./model-provider.js";

/**
 * A Team by name → its definition with every member built up front (agents' models and tools, inner
 * teams recursively), so a missing member or a cycle of teams fails before any model call.
 */
export async function loadTeam(namespace: string, name: string, env: TargetEnvironment, outer: readonly string[] = []): Promise<TeamDefinition> {
  if (outer.includes(name)) throw new EngineError("CONFIG_ERROR", `team cycle: ${[...outer, name].join(" → ")}`);
  const team = await env.resolver.getTeam(namespace, name);
  if (!team) throw new EngineError("CONFIG_ERROR", `team "${name}" not found in namespace ${namespace}`);
  const where = `team ${namespace}/${name}`;
  const members: TeamMember[] = [];
  for (const [index, member] of team.spec.members.entries()) {
    const at = `${where}: spec.members[${index}]`;
    const resource = member.type === "agent" ? await env.resolver.getAgent(namespace, member.name) : undefined;
    const engine = resource?.spec.executionEngine;
    if (resource && isA2AAgent(resource)) {
      members.push(a2aAgentMember(env, namespace, resource));
    } else if (resource && engine && engine.name !== RESERVED_EXECUTION_ENGINE_NAME) {
      // An agent run by an ExecutionEngine (not a2a) takes its turns through the engine.
      members.push(engineAgentMember(resource, env));
    } else if (member.type === "agent") {
      const agent = await loadMember(at, () => loadAgent(namespace, member.name, env));
      members.push(agentMember({ agent: agent.definition, provider: agent.provider, tools: agent.tools, description: agent.description }));
    } else if (member.type === "team") {
      members.push(teamMember(await loadMember(at, () => loadTeam(namespace, member.name, env, [...outer, name]))));
    } else {
      throw new EngineError("CONFIG_ERROR", `${at}: member type "${member.type}" is not agent or team`);
    }
  }
  const definition: TeamDefinition = {
    namespace,
    name,
    strategy: team.spec.strategy,
    members,
    description: team.spec.description,
    maxTurns: team.spec.maxTurns,
    ...(team.spec.loops ? { loops: true } : {}),
    edges: team.spec.graph?.edges,
  };
  if (team.spec.strategy === "selector") definition.selector = await loadSelector(namespace, where, team.spec.selector, env);
  return definition;
}

/** `spec.selector`: the agent it names (its model, prompt and tools), else its model or the namespace's default. */
async function loadSelector(namespace: string, where: string, spec: TeamSpec["selector"], env: TargetEnvironment): Promise<TeamSelector> {
  const common: TeamSelector = {
    ...(spec?.selectorPrompt ? { prompt: spec.selectorPrompt } : {}),
    ...(spec?.enableTerminateTool ? { terminate: spec.terminatePrompt ? { prompt: spec.terminatePrompt } : {} } : {}),
  };
  if (spec?.agent) {
    const agent = await loadMember(`${where}: spec.selector.agent`, () => loadAgent(namespace, spec.agent!, env));
    return { ...common, agent: { definition: agent.definition, provider: agent.provider, tools: agent.tools } };
  }
  const modelName = spec?.model || DEFAULT_MODEL_NAME;
  const model = await env.resolver.getModel(namespace, modelName);
  if (!model) throw new EngineError("CONFIG_ERROR", `${where}: selector model "${modelName}" not found in namespace ${namespace}`);
  return { ...common, provider: await modelProviderFor(model, env) };
}

async function loadMember<T>(at: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof EngineError) || error.message.startsWith("team cycle:")) throw error;
    throw new EngineError(error.code, `${at}: ${error.message}`, { cause: error, retryable: error.retryable });
  }
}
