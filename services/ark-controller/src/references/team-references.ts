import { findTeamCycle } from "@ark/engine";
import type { Team } from "@ark/kube";
import type { ResourceLookup } from "./lookup.js";
import { DEFAULT_MODEL_NAME } from "./names.js";

/** Members (agents, teams) and the selector's model that do not exist, and a cycle of teams, one message each. */
export async function teamReferenceProblems(team: Team, lookup: ResourceLookup): Promise<string[]> {
  const namespace = team.metadata.namespace ?? "";
  const name = team.metadata.name ?? "";
  const where = `team ${namespace}/${name}`;
  const problems: string[] = [];
  for (const [index, member] of team.spec.members.entries()) {
    const found = member.type === "team" ? await lookup.team(namespace, member.name) : await lookup.agent(namespace, member.name);
    if (!found) problems.push(`${where}: spec.members[${index}]: ${member.type} "${member.name}" not found in namespace ${namespace}`);
  }
  const selectorAgent = team.spec.selector?.agent;
  if (team.spec.strategy === "selector" && selectorAgent) {
    if (!(await lookup.agent(namespace, selectorAgent))) problems.push(`${where}: spec.selector.agent: agent "${selectorAgent}" not found in namespace ${namespace}`);
  } else if (team.spec.strategy === "selector") {
    const model = team.spec.selector?.model || DEFAULT_MODEL_NAME;
    if (!(await lookup.model(namespace, model))) problems.push(`${where}: selector model "${model}" not found in namespace ${namespace}`);
  }
  // The team itself as read now (the lookup may lag behind it), inner teams through the lookup.
  const cycle = await findTeamCycle(namespace, name, (ns, member) => (member === name ? Promise.resolve(team) : lookup.team(ns, member)));
  if (cycle) problems.push(`${where}: spec.members: cycle of teams ${cycle.join(" → ")}`);
  return problems;
}
