import type { TeamResource } from "./resolver.js";

/**
 * The first cycle of teams reachable from a team, as names (`a → b → a` is ["a", "b", "a"]); undefined when
 * there is none. Members that do not exist are skipped (reported elsewhere). For the Team's Available condition.
 */
export async function findTeamCycle(namespace: string, name: string, getTeam: (namespace: string, name: string) => Promise<TeamResource | undefined>): Promise<string[] | undefined> {
  const done = new Set<string>();
  const visit = async (current: string, path: string[]): Promise<string[] | undefined> => {
    if (path.includes(current)) return [...path.slice(path.indexOf(current)), current];
    if (done.has(current)) return undefined;
    const team = await getTeam(namespace, current);
    for (const member of team?.spec.members ?? []) {
      if (member.type !== "team") continue;
      const cycle = await visit(member.name, [...path, current]);
      if (cycle) return cycle;
    }
    done.add(current);
    return undefined;
  };
  return visit(name, []);
}
