import { runAgent } from "../agent/loop.js";
import { EngineError } from "../errors.js";
import { chatWithEvents } from "../events/llm-call.js";
import { terminateTool } from "../tools/builtin.js";
import { ToolRegistry } from "../tools/registry.js";
import { toolName } from "../tools/tool.js";
import { DEFAULT_TERMINATE_PROMPT, SELECTOR_USER_MESSAGE } from "./selector-prompt.js";
import type { TeamRun } from "./team-run.js";

/** What the selector said: a member's name, or that the team is done (its terminate call; `answer` is the response given). */
export interface SelectorChoice {
  answer: string;
  terminated: boolean;
}

/**
 * One selection (docs/upstream-compat.md §6.6): the rendered prompt as the system message and "Select the next
 * participant" as the user's, to the selector agent (its own prompt, model and tools first) or the selector model;
 * with the terminate tool enabled, a terminate call ends the team.
 */
export async function askSelector(run: TeamRun, prompt: string): Promise<SelectorChoice> {
  const selector = run.team.selector;
  if (!selector) throw new EngineError("CONFIG_ERROR", `team ${run.key}: the selector strategy needs a selector agent or model`);
  const system = selector.terminate ? `${prompt}\n\n${selector.terminate.prompt || DEFAULT_TERMINATE_PROMPT}` : prompt;
  const { signal, target } = run.options;
  if (selector.agent) {
    const { definition, provider, tools } = selector.agent;
    const withTerminate = selector.terminate ? (tools ?? new ToolRegistry()).with(terminateTool) : tools;
    const result = await runAgent({
      agent: definition,
      provider,
      tools: withTerminate,
      input: SELECTOR_USER_MESSAGE,
      history: [{ role: "system", content: system }],
      signal,
      emit: run.options.emit,
      target,
    }).catch((error: unknown) => {
      if (signal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new EngineError("PROVIDER_ERROR", `team ${run.key}: selector agent ${definition.name}: ${message}`, { cause: error });
    });
    run.addUsage(result.tokenUsage);
    return { answer: result.content, terminated: result.terminated };
  }
  if (!selector.provider) throw new EngineError("CONFIG_ERROR", `team ${run.key}: the selector strategy needs a selector agent or model`);
  const result = await chatWithEvents(
    selector.provider,
    {
      messages: [
        { role: "system", content: system },
        { role: "user", content: SELECTOR_USER_MESSAGE },
      ],
      ...(selector.terminate ? { tools: [terminateTool.definition] } : {}),
      signal,
    },
    run.emit,
    `team ${run.key}: selector`,
  );
  run.addUsage(result.usage);
  const terminate = result.message.tool_calls?.find((call) => call.function.name === toolName(terminateTool));
  if (terminate) return { answer: terminateResponse(terminate.function.arguments), terminated: true };
  return { answer: result.message.content ?? "", terminated: false };
}

function terminateResponse(rawArguments: string): string {
  try {
    const response = (JSON.parse(rawArguments) as { response?: unknown }).response;
    return typeof response === "string" ? response : "";
  } catch {
    return "";
  }
}
