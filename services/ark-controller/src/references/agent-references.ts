import type { Agent } from "@ark/kube";
import type { ResourceLookup } from "./lookup.js";
import { agentModelRef, describeAgent, modelNotFound } from "./names.js";

/** What an agent refers to that does not exist, one message per missing resource (empty when all resolve). */
export async function agentReferenceProblems(agent: Agent, lookup: ResourceLookup): Promise<string[]> {
  const problems: string[] = [];
  const namespace = agent.metadata.namespace ?? "";
  if (agent.spec.executionEngine?.name !== "a2a") {
    const ref = agentModelRef(agent);
    if (!(await lookup.model(ref.namespace, ref.name))) problems.push(modelNotFound(agent, ref));
  }
  for (const [index, tool] of (agent.spec.tools ?? []).entries()) {
    if (tool.type !== "custom" || !tool.name) continue;
    if (!(await lookup.tool(namespace, tool.name))) {
      problems.push(`${describeAgent(agent)}: tool "${tool.name}" not found in namespace ${namespace} (spec.tools[${index}])`);
    }
  }
  return problems;
}
