import { splitKey, type ArkClient, type InformerCache, type Team } from "@ark/kube";
import type { ResourceLookup } from "../references/lookup.js";
import { teamReferenceProblems } from "../references/team-references.js";
import { writeAvailability } from "./available.js";

/** Team: every member and the selector's model resolve → Available, else False naming what is missing. */
export function teamReconciler(deps: { teams: InformerCache<Team>; lookup: ResourceLookup; ark: ArkClient }) {
  return async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const team = deps.teams.get(namespace, name);
    if (!team) return;
    await writeAvailability(deps.ark.teams, team, await teamReferenceProblems(team, deps.lookup));
  };
}
