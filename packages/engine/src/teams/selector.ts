import { renderTemplate } from "../prompt-template.js";
import type { TeamMember } from "./member.js";
import { askSelector } from "./selector-choice.js";
import { chooseMember, DEFAULT_SELECTOR_PROMPT, selectorPromptData } from "./selector-prompt.js";
import { maxTurnsReached, type SelectionReason, type Strategy, type TeamRun } from "./team-run.js";

/**
 * A selector agent or model picks each turn's member from the conversation, the user input included from the first
 * turn. With `spec.graph` edges (upstream's selector + graph), after the first turn it picks only among the previous
 * member's successors: one successor is taken without asking, none falls back to the first member.
 */
export const selectorStrategy: Strategy = async (run) => {
  const { members, maxTurns, selector } = run.team;
  const template = selector?.prompt || DEFAULT_SELECTOR_PROMPT;
  const { input, history } = run.options;
  const successors = successorsOf(run);
  let previous: TeamMember | undefined;
  for (let turn = run.resumeAt?.turn ?? 0; ; turn++) {
    run.startTurn(turn);
    // A resumed run goes on with the member the selector had chosen in the turn it paused in.
    const resumed = run.resumeAt ? members[run.resumeAt.index] : undefined;
    if (resumed) {
      if (await run.runMember(resumed, turn, "order")) return { terminated: true };
      previous = resumed;
      if (maxTurns !== undefined && turn + 1 >= maxTurns) return maxTurnsReached(run);
      continue;
    }
    const legal = previous && successors ? (successors.get(previous.name) ?? []) : undefined;
    const constrained = legal !== undefined;
    const candidates = legal ?? members;
    let pick: { member: TeamMember; reason: SelectionReason; answer?: string };
    if (constrained && candidates.length <= 1) {
      pick = { member: candidates[0] ?? members[0]!, reason: "graph" };
    } else {
      const transcript = [...(history ?? []), { role: "user" as const, content: input }, ...run.produced];
      const prompt = renderTemplate(template, selectorPromptData(candidates, transcript), `team ${run.key} spec.selector.selectorPrompt`);
      const choice = await askSelector(run, prompt);
      if (choice.terminated) {
        const by = selector?.agent ? `selector agent ${selector.agent.definition.name}` : "the selector";
        return { terminated: true, end: { code: "Terminated", message: `team ${run.key}: ${by} ended the team (terminate)` } };
      }
      pick = { ...chooseMember(choice.answer, candidates, previous), answer: choice.answer };
    }
    if (await run.runMember(pick.member, turn, pick.reason, pick.answer)) return { terminated: true };
    previous = pick.member;
    if (maxTurns !== undefined && turn + 1 >= maxTurns) return maxTurnsReached(run);
  }
};

/** `spec.graph` edges as each member's successors (members only), or undefined without edges. */
function successorsOf(run: TeamRun): Map<string, TeamMember[]> | undefined {
  const edges = run.team.edges;
  if (!edges?.length) return undefined;
  const successors = new Map<string, TeamMember[]>();
  for (const edge of edges) {
    const to = run.member(edge.to);
    if (to) successors.set(edge.from, [...(successors.get(edge.from) ?? []), to]);
  }
  return successors;
}
