import { runTeam } from "../teams/team.js";
import { loadTeam } from "./load-team.js";
import { targetNotFound, type TargetRunner } from "./target-run.js";

/** Target type team (docs/upstream-compat.md §6.6): all members' messages; the answer is the last one; maxTurns is a normal end. */
export const runTeamTarget: TargetRunner = async (request) => {
  const { namespace, target, input, history, stream, signal, emit } = request;
  if (!(await request.resolver.getTeam(namespace, target.name))) throw targetNotFound(request);
  const team = await loadTeam(namespace, target.name, request);
  const approvals = request.approvals;
  const result = await runTeam({ team, input, history, stream, signal, emit, target, ...(approvals ? { approvals } : {}) });
  return { content: result.content, messages: result.messages, ...(result.end ? { end: result.end } : {}) };
};
