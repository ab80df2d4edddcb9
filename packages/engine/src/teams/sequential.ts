import type { Strategy } from "./team-run.js";

/** Each member once, in declared order; maxTurns does not apply. */
export const sequentialStrategy: Strategy = async (run) => {
  const from = run.resumeAt?.index ?? 0;
  run.startTurn(0);
  for (const [index, member] of run.team.members.entries()) {
    if (index < from) continue;
    if (await run.runMember(member, index, "order")) return { terminated: true };
  }
  return { terminated: false };
};
