import type { Agent } from "@ark/kube";
import { agentToolResourceName, BUILT_IN_TOOL_NAMES } from "@ark/types";
import type { ResourceLookup } from "./lookup.js";
import { agentModelRef, describeAgent, modelNotFound } from "./names.js";
import { referenceGrantProblem, toolServerProblem } from "./reference-grants.js";

/**
 * What an agent refers to that does not exist or lies in a namespace that grants it no access, one message per
 * reference (empty when all resolve).
 */
export async function agentReferenceProblems(agent: Agent, lookup: ResourceLookup): Promise<string[]> {
  const problems: string[] = [];
  const namespace = agent.metadata.namespace ?? "";
  const where = describeAgent(agent);
  const engine = agent.spec.executionEngine;
  if (engine?.namespace) {
    const refused = await referenceGrantProblem(lookup, { from: { kind: "Agent", namespace }, to: { kind: "ExecutionEngine", namespace: engine.namespace, name: engine.name } });
    if (refused) problems.push(`${where}: spec.executionEngine: ${refused}`);
  }
  if (engine?.name !== "a2a") {
    const ref = agentModelRef(agent);
    const refused = await referenceGrantProblem(lookup, { from: { kind: "Agent", namespace }, to: { kind: "Model", ...ref } });
    if (refused) problems.push(`${where}: spec.modelRef: ${refused}`);
    else if (!(await lookup.model(ref.namespace, ref.name))) problems.push(modelNotFound(agent, ref));
  }
  for (const [index, toolRef] of (agent.spec.tools ?? []).entries()) {
    const name = agentToolResourceName(toolRef);
    if (toolRef.type === "built-in" || !name) continue;
    const tool = await lookup.tool(namespace, name);
    // A builtin entry naming noop or terminate needs no Tool (docs/upstream-compat.md §7.2).
    if (!tool && toolRef.type === "builtin" && (BUILT_IN_TOOL_NAMES as readonly string[]).includes(name)) continue;
    if (!tool) {
      problems.push(`${where}: spec.tools[${index}]: tool "${name}" not found in namespace ${namespace}`);
      continue;
    }
    const refused = await toolServerProblem(tool, lookup);
    if (refused) problems.push(refused);
  }
  return problems;
}
