import { EngineError } from "../errors.js";
import { chatWithEvents } from "../events/llm-call.js";
import { renderTemplate } from "../template/index.js";
import type { TeamMember } from "./member.js";
import { chooseMember, DEFAULT_SELECTOR_PROMPT, SELECTOR_USER_MESSAGE, selectorPromptData } from "./selector-prompt.js";
import { maxTurnsReached, type Strategy } from "./team-run.js";

/** A model picks each turn's member from the conversation, the user input included from the first turn. */
export const selectorStrategy: Strategy = async (run) => {
  const { members, maxTurns, selector } = run.team;
  if (!selector) throw new EngineError("CONFIG_ERROR", `team ${run.key}: the selector strategy needs a selector model`);
  const template = selector.prompt || DEFAULT_SELECTOR_PROMPT;
  const { input, history, signal } = run.options;
  let previous: TeamMember | undefined;
  for (let turn = 0; ; turn++) {
    run.startTurn(turn);
    const transcript = [...(history ?? []), { role: "user" as const, content: input }, ...run.produced];
    const prompt = renderTemplate(template, selectorPromptData(members, transcript), `team ${run.key} spec.selector.selectorPrompt`);
    const result = await chatWithEvents(
      selector.provider,
      { messages: [{ role: "system", content: prompt }, { role: "user", content: SELECTOR_USER_MESSAGE }], signal },
      run.emit,
      `team ${run.key}: selector`,
    );
    run.addUsage(result.usage);
    const answer = result.message.content ?? "";
    const { member, reason } = chooseMember(answer, members, previous);
    if (await run.runMember(member, turn, reason, answer)) return { terminated: true };
    previous = member;
    if (maxTurns !== undefined && turn + 1 >= maxTurns) return maxTurnsReached(run);
  }
};
