import { DEFAULT_MAX_ITERATIONS, type EventTargetRef } from "@ark/types";
import { throwIfAborted } from "../abort.js";
import { EngineError } from "../errors.js";
import { contextEmitter, type EventSink } from "../events/emit.js";
import { chatWithEvents } from "../events/llm-call.js";
import type { AssistantMessage, ChatMessage } from "../messages.js";
import type { ModelProvider, ResponseFormat } from "../providers/provider.js";
import { renderWithParameters } from "../template/index.js";
import type { ToolRegistry } from "../tools/registry.js";
import { addUsage, type TokenCount, zeroUsage } from "../usage.js";
import { checkJsonAnswer, outputSchemaFormat, sanitizeName } from "./output-schema.js";
import { runToolCall } from "./run-tool-call.js";

/** What the loop needs of an Agent (the caller maps the resource and resolves its parameters). */
export interface AgentDefinition {
  namespace: string;
  name: string;
  /** System prompt; a Go template over `parameters` when there are any, else used verbatim. */
  prompt?: string;
  parameters?: Record<string, string>;
  outputSchema?: Record<string, unknown>;
  /** Model calls allowed before the run fails with MAX_ITERATIONS (default 20). */
  maxIterations?: number;
}

export interface RunAgentOptions {
  agent: AgentDefinition;
  provider: ModelProvider;
  tools?: ToolRegistry;
  /** The user's message (already templated by the caller). */
  input: string;
  /** Earlier conversation (memory), between the system prompt and the input. */
  history?: ChatMessage[];
  /** Stream from the provider; content chunks become `content.delta` events. */
  stream?: boolean;
  signal?: AbortSignal;
  emit?: EventSink;
  /** The query target this run belongs to, stamped on events. */
  target?: EventTargetRef;
}

export interface AgentRunResult {
  /** Messages the run added after the input: assistant turns and tool results, in order. */
  messages: ChatMessage[];
  /** The final answer (the terminate `response` when the agent terminated). */
  content: string;
  /** Sum over this run's model calls, each counted once. */
  tokenUsage: TokenCount;
  /** The agent ended through the built-in `terminate` tool (teams stop on it). */
  terminated: boolean;
}

/** The agent loop (docs/upstream-compat.md §6.5 with docs/architecture.md §7.2): model ↔ tools until an answer, terminate, or the cap. */
export async function runAgent(options: RunAgentOptions): Promise<AgentRunResult> {
  const { agent, provider, tools, signal } = options;
  const agentKey = `${agent.namespace}/${agent.name}`;
  const emit = contextEmitter(options.emit, { target: options.target, agent: agentKey });
  const maxIterations = agent.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const responseFormat: ResponseFormat | undefined = agent.outputSchema
    ? outputSchemaFormat(agent.namespace, agent.name, agent.outputSchema)
    : undefined;
  const toolDefinitions = tools && tools.size > 0 ? tools.definitions() : undefined;
  const prompt = renderWithParameters(agent.prompt ?? "", agent.parameters, "prompt");

  const messages: ChatMessage[] = [
    ...(prompt ? [{ role: "system" as const, content: prompt }] : []),
    ...(options.history ?? []),
    { role: "user", content: options.input },
  ];
  const added: ChatMessage[] = [];
  let tokenUsage = zeroUsage();
  const append = (message: ChatMessage): void => {
    messages.push(message);
    added.push(message);
  };

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    throwIfAborted(signal, `agent ${agentKey}`);
    const result = await chatWithEvents(
      provider,
      { messages: [...messages], tools: toolDefinitions, responseFormat, stream: options.stream, signal },
      emit,
      `agent ${agentKey} execution failed`,
    );
    tokenUsage = addUsage(tokenUsage, result.usage);

    const assistant: AssistantMessage = { ...result.message, name: sanitizeName(agent.name) };
    append(assistant);
    const calls = assistant.tool_calls ?? [];
    if (calls.length === 0) {
      const content = assistant.content ?? "";
      if (agent.outputSchema) checkJsonAnswer(content, agentKey);
      return { messages: added, content, tokenUsage, terminated: false };
    }
    for (const [index, call] of calls.entries()) {
      throwIfAborted(signal, `agent ${agentKey}`);
      const outcome = await runToolCall(call, tools, { agent: agentKey, signal, emit });
      append(outcome.message);
      if (outcome.terminate) {
        // Every tool call needs its result for the history to be valid on the next turn.
        for (const skipped of calls.slice(index + 1)) {
          append({ role: "tool", tool_call_id: skipped.id, content: "Error: not run: the agent terminated" });
        }
        return { messages: added, content: outcome.message.content, tokenUsage, terminated: true };
      }
    }
  }
  throw new EngineError(
    "MAX_ITERATIONS",
    `agent ${agentKey}: no final answer after ${maxIterations} model calls (spec.maxIterations ${maxIterations})`,
  );
}

