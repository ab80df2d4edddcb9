import { EngineError } from "../errors.js";
import { maxTurnsReached, type Strategy } from "./team-run.js";

/** From the first member along the edges; ends at a member without an outgoing edge, on terminate, or at maxTurns steps. */
export const graphStrategy: Strategy = async (run) => {
  const next = new Map((run.team.edges ?? []).map((edge) => [edge.from, edge.to]));
  // A resumed run goes on from the member and step it paused in.
  let current = run.team.members[run.resumeAt?.index ?? 0]!;
  for (let step = run.resumeAt?.turn ?? 0; ; step++) {
    run.startTurn(step);
    if (await run.runMember(current, step, "graph")) return { terminated: true };
    const to = next.get(current.name);
    if (to === undefined) return { terminated: false, end: { code: "GraphEnded", message: `team ${run.key}: the graph ended at ${current.name} (no outgoing edge)` } };
    const member = run.member(to);
    if (!member) throw new EngineError("CONFIG_ERROR", `member ${to} not found in team ${run.key}`);
    const { maxTurns } = run.team;
    if (maxTurns !== undefined && step + 1 >= maxTurns) return maxTurnsReached(run);
    current = member;
  }
};
