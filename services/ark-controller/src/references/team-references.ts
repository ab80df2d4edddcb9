import type { Team } from "@ark/kube";
import type { ResourceLookup } from "./lookup.js";
import { DEFAULT_MODEL_NAME } from "./names.js";

/** Members (agents, teams) and the selector's model that do not exist, one message each. */
export async function teamReferenceProblems(team: Team, lookup: ResourceLookup): Promise<string[]> {
  const namespace = team.metadata.namespace ?? "";
  const where = `team ${namespace}/${team.metadata.name ?? ""}`;
  const problems: string[] = [];
  for (const [index, member] of team.spec.members.entries()) {
    const found = member.type === "team" ? await lookup.team(namespace, member.name) : await lookup.agent(namespace, member.name);
    if (!found) problems.push(`${where}: ${member.type} "${member.name}" not found in namespace ${namespace} (spec.members[${index}])`);
  }
  if (team.spec.strategy === "selector") {
    const model = team.spec.selector?.model || DEFAULT_MODEL_NAME;
    if (!(await lookup.model(namespace, model))) problems.push(`${where}: selector model "${model}" not found in namespace ${namespace}`);
  }
  return problems;
}
