import type { Strategy } from "./team-run.js";

/** Each member once, in declared order; maxTurns does not apply. */
export const sequentialStrategy: Strategy = async (run) => {
  run.startTurn(0);
  for (const [index, member] of run.team.members.entries()) {
    if (await run.runMember(member, index, "order")) return { terminated: true };
  }
  return { terminated: false };
};
