import { maxTurnsReached, type Strategy } from "./team-run.js";

/** Rounds of all members in order until one terminates or `maxTurns` rounds are done (unbounded without it). */
export const roundRobinStrategy: Strategy = async (run) => {
  const { members, maxTurns } = run.team;
  for (let turn = run.resumeAt?.turn ?? 0; ; turn++) {
    // A resumed run starts its first round at the member it paused in.
    const from = run.resumeAt?.index ?? 0;
    run.startTurn(turn);
    for (const [index, member] of members.entries()) {
      if (index < from) continue;
      if (await run.runMember(member, index, "order")) return { terminated: true };
    }
    if (maxTurns !== undefined && turn + 1 >= maxTurns) return maxTurnsReached(run);
  }
};
