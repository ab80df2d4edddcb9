import { DEFAULT_MAX_ITERATIONS, type EventTargetRef } from "@ark/types";
import { throwIfAborted } from "../abort.js";
import { EngineError } from "../errors.js";
import { contextEmitter, type EventSink } from "../events/emit.js";
import { chatWithEvents } from "../events/llm-call.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../messages.js";
import type { ModelProvider, ResponseFormat } from "../providers/provider.js";
import { renderWithParameters } from "../prompt-template.js";
import { setSpanContent, traced } from "../tracing.js";
import { type AgentApprovals, type AgentFrame, type AgentPauseState, ApprovalPause, innerApprovals, isApprovalPause, ownFrame, pausedTurn, type RunResume } from "../tools/approval.js";
import type { ToolRegistry } from "../tools/registry.js";
import { addUsage, type TokenCount, zeroUsage } from "../usage.js";
import { checkJsonAnswer, outputSchemaFormat, sanitizeName } from "./output-schema.js";
import { decidedToolCall, refusedApprovalCall, runToolCall, type ToolCallOutcome } from "./run-tool-call.js";

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

/** What a run of an agent or a team is given besides the target itself. */
export interface RunInput {
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

export interface RunAgentOptions extends RunInput {
  agent: AgentDefinition;
  provider: ModelProvider;
  tools?: ToolRegistry;
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
  const agentKey = `${options.agent.namespace}/${options.agent.name}`;
  // The GenAI semantic conventions' invoke_agent span: every model and tool call of the run is its child.
  const attributes = { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": agentKey, "gen_ai.request.model": options.provider.model };
  return traced(`invoke_agent ${options.agent.name}`, attributes, async (span) => {
    setSpanContent(span, { "langfuse.observation.input": () => options.input });
    const result = await agentLoop(options, agentKey);
    setSpanContent(span, { "langfuse.observation.output": () => result.content });
    return result;
  });
}

async function agentLoop(options: RunAgentOptions, agentKey: string): Promise<AgentRunResult> {
  const { agent, provider, tools, signal } = options;
  const emit = contextEmitter(options.emit, { target: options.target, agent: agentKey });
  const maxIterations = agent.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const responseFormat: ResponseFormat | undefined = agent.outputSchema ? outputSchemaFormat(agent.namespace, agent.name, agent.outputSchema) : undefined;
  const toolDefinitions = tools && tools.size > 0 ? tools.definitions() : undefined;
  const prompt = renderWithParameters(agent.prompt ?? "", agent.parameters, "prompt");

  const approvals = options.approvals;
  const resume = approvals?.resume;
  const own = resume ? ownFrame(resume, "agent", agent.namespace, agent.name) : undefined;
  const messages: ChatMessage[] = own
    ? [...own.messages, ...own.completedToolResults]
    : [...(prompt ? [{ role: "system" as const, content: prompt }] : []), ...(options.history ?? []), { role: "user", content: options.input }];
  const newMessagesFrom = own ? own.newMessagesFrom : messages.length;
  const added: ChatMessage[] = messages.slice(newMessagesFrom);
  let tokenUsage = own ? own.tokenUsage : zeroUsage();
  const append = (message: ChatMessage): void => {
    messages.push(message);
    added.push(message);
  };
  // Resuming: the paused turn's calls go on from the first one not run, without a model call. The decisions are for
  // this agent's calls when it is the innermost frame; otherwise the pending call is a nested run that paused inside.
  let pending = own && resume ? { assistant: pausedTurn(own.messages), from: own.pendingToolCallIndex, resume } : undefined;

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    throwIfAborted(signal, `agent ${agentKey}`);
    let assistant: AssistantMessage;
    let from = 0;
    let turnResume: RunResume | undefined;
    if (pending?.assistant) {
      ({ assistant, from, resume: turnResume } = { assistant: pending.assistant, from: pending.from, resume: pending.resume });
      pending = undefined;
    } else {
      const result = await chatWithEvents(provider, { messages: [...messages], tools: toolDefinitions, responseFormat, stream: options.stream, signal }, emit, `agent ${agentKey} execution failed`);
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
    const decisions = turnResume && turnResume.frames.length === 1 ? turnResume.decisions : undefined;
    for (const [index, call] of calls.entries()) {
      if (index < from) continue;
      throwIfAborted(signal, `agent ${agentKey}`);
      const decision = decisions?.get(call.id);
      const nested = index === from && turnResume && turnResume.frames.length > 1 ? innerApprovals(turnResume) : undefined;
      const frame = () => frameAt({ agent, messages, newMessagesFrom, assistant, index, tokenUsage });
      if (!decision && !nested && tools?.get(call.function.name)?.approval?.needsApproval(call.function.arguments)) {
        if (approvals) throw new ApprovalPause({ frames: [frame()], calls: waitingCalls(calls.slice(index), tools), ...(assistant.content ? { reasoning: assistant.content } : {}) });
        // Where a run cannot pause (a query with several targets), the call goes back to the model refused.
        append((await refusedApprovalCall(call, tools, { agent: agentKey, emit }, "a query with several targets cannot pause")).message);
        continue;
      }
      // A call that runs an agent or team may pause inside; this agent's frame then goes around the pause.
      const context = { agent: agentKey, signal, emit, ...(approvals ? { approvals: nested ?? {} } : {}) };
      let outcome: ToolCallOutcome;
      try {
        outcome = decision ? await decidedToolCall(call, decision, tools, context) : await runToolCall(call, tools, context);
      } catch (error) {
        if (isApprovalPause(error)) throw error.within(frame());
        throw error;
      }
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
  throw new EngineError("MAX_ITERATIONS", `agent ${agentKey}: no final answer after ${maxIterations} model calls (spec.maxIterations ${maxIterations})`);
}

/** This agent's frame paused at call `index` of its turn: the turn so far and the results of its calls that ran. */
function frameAt(at: { agent: AgentDefinition; messages: ChatMessage[]; newMessagesFrom: number; assistant: AssistantMessage; index: number; tokenUsage: TokenCount }): AgentFrame {
  const turn = at.messages.lastIndexOf(at.assistant);
  return {
    kind: "agent",
    agent: { namespace: at.agent.namespace, name: at.agent.name },
    messages: at.messages.slice(0, turn + 1),
    newMessagesFrom: at.newMessagesFrom,
    pendingToolCallIndex: at.index,
    completedToolResults: at.messages.slice(turn + 1).filter((m) => m.role === "tool"),
    tokenUsage: at.tokenUsage,
  };
}

/** The calls, from the pending one on, that need a decision, with what the person sees of their tool. */
function waitingCalls(calls: ToolCall[], tools: ToolRegistry | undefined): AgentPauseState["calls"] {
  return calls.flatMap((call) => {
    const gate = tools?.get(call.function.name)?.approval;
    return gate?.needsApproval(call.function.arguments) ? [{ call, gate }] : [];
  });
}
