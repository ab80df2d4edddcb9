import { DEFAULT_MAX_ITERATIONS, type EventTargetRef } from "@ark/types";
import { throwIfAborted } from "../abort.js";
import { EngineError } from "../errors.js";
import { contextEmitter, type EventSink, type StepEvent } from "../events/emit.js";
import { chatWithEvents } from "../events/llm-call.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../messages.js";
import type { ModelProvider, ResponseFormat } from "../providers/provider.js";
import { renderWithParameters } from "../template/index.js";
import { ApprovalPause, type AgentApprovals, pausedTurn } from "../tools/approval.js";
import type { ToolRegistry } from "../tools/registry.js";
import { addUsage, type TokenCount, zeroUsage } from "../usage.js";
import { checkJsonAnswer, outputSchemaFormat, sanitizeName } from "./output-schema.js";
import { decidedToolCall, runToolCall, type ToolCallOutcome } from "./run-tool-call.js";

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
  /**
   * Set when the run can pause for tool approval (docs/architecture.md §3.2): a call that needs it throws ApprovalPause.
   * Unset, such a call is refused to the model. `resume` continues a paused run with the decisions.
   */
  approvals?: AgentApprovals;
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

  const resume = options.approvals?.resume;
  const messages: ChatMessage[] = resume
    ? [...resume.state.messages, ...resume.state.completedToolResults]
    : [...(prompt ? [{ role: "system" as const, content: prompt }] : []), ...(options.history ?? []), { role: "user", content: options.input }];
  const newMessagesFrom = resume ? resume.state.newMessagesFrom : messages.length;
  const added: ChatMessage[] = messages.slice(newMessagesFrom);
  let tokenUsage = resume ? resume.state.tokenUsage : zeroUsage();
  const append = (message: ChatMessage): void => {
    messages.push(message);
    added.push(message);
  };
  // Resuming: the paused turn's calls go on from the first one not run, without a model call.
  let pending = resume ? { assistant: pausedTurn(resume.state.messages), from: resume.state.pendingToolCallIndex } : undefined;

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    throwIfAborted(signal, `agent ${agentKey}`);
    let assistant: AssistantMessage;
    let from = 0;
    if (pending?.assistant) {
      ({ assistant, from } = { assistant: pending.assistant, from: pending.from });
      pending = undefined;
    } else {
      const result = await chatWithEvents(
        provider,
        { messages: [...messages], tools: toolDefinitions, responseFormat, stream: options.stream, signal },
        emit,
        `agent ${agentKey} execution failed`,
      );
      tokenUsage = addUsage(tokenUsage, result.usage);
      assistant = { ...result.message, name: sanitizeName(agent.name) };
      append(assistant);
    }
    const calls = assistant.tool_calls ?? [];
    if (calls.length === 0) {
      const content = assistant.content ?? "";
      if (agent.outputSchema) checkJsonAnswer(content, agentKey);
      return { messages: added, content, tokenUsage, terminated: false };
    }
    for (const [index, call] of calls.entries()) {
      if (index < from) continue;
      throwIfAborted(signal, `agent ${agentKey}`);
      const decision = resume?.decisions.get(call.id);
      if (!decision && tools?.get(call.function.name)?.approval?.needsApproval(call.function.arguments)) {
        if (options.approvals) {
          throw pause({ agent, messages, newMessagesFrom, assistant, calls, index, tools, tokenUsage });
        }
        append(refusedCall(call, agentKey, emit));
        continue;
      }
      const outcome: ToolCallOutcome = decision
        ? await decidedToolCall(call, decision, tools, { agent: agentKey, signal, emit })
        : await runToolCall(call, tools, { agent: agentKey, signal, emit });
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


/** The pause at call `index`: the turn so far, the results of its calls that ran, and every later call that needs a decision. */
function pause(at: {
  agent: AgentDefinition;
  messages: ChatMessage[];
  newMessagesFrom: number;
  assistant: AssistantMessage;
  calls: ToolCall[];
  index: number;
  tools: ToolRegistry | undefined;
  tokenUsage: TokenCount;
}): ApprovalPause {
  const turn = at.messages.lastIndexOf(at.assistant);
  const waiting = at.calls.slice(at.index).flatMap((call) => {
    const gate = at.tools?.get(call.function.name)?.approval;
    return gate?.needsApproval(call.function.arguments) ? [{ call, gate }] : [];
  });
  return new ApprovalPause({
    messages: at.messages.slice(0, turn + 1),
    newMessagesFrom: at.newMessagesFrom,
    pendingToolCallIndex: at.index,
    completedToolResults: at.messages.slice(turn + 1).filter((m) => m.role === "tool"),
    calls: waiting,
    ...(at.assistant.content ? { reasoning: at.assistant.content } : {}),
    tokenUsage: at.tokenUsage,
    agent: { namespace: at.agent.namespace, name: at.agent.name },
  });
}

/** Where a run cannot pause (a team member, several targets), an approval-required call goes back to the model refused. */
function refusedCall(call: ToolCall, agentKey: string, emit: ((event: StepEvent) => void) | undefined): ChatMessage {
  const error = `tool ${call.function.name} needs a person's approval, which agent ${agentKey} cannot wait for here (only a query's single agent target can pause)`;
  emit?.({ type: "tool.call.started", toolName: call.function.name, toolCallId: call.id, arguments: call.function.arguments });
  emit?.({ type: "tool.call.completed", toolName: call.function.name, toolCallId: call.id, result: `Error: ${error}`, isError: true, error, durationMs: 0 });
  return { role: "tool", tool_call_id: call.id, content: `Error: ${error}` };
}
