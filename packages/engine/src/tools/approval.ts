import { APPROVAL_WHEN_VARIABLES, compileCel, type CelProgram, type ToolApproval } from "@ark/types";
import type { AssistantMessage, ChatMessage, ToolCall, ToolMessage } from "../messages.js";
import type { TokenCount } from "../usage.js";
import type { Tool } from "./tool.js";

/** What a person deciding a call sees of its tool, and when it needs them (docs/architecture.md §3.2). */
export interface ApprovalGate {
  policy: ToolApproval;
  /** Tool type: http, mcp, builtin… */
  type: string;
  description?: string;
  annotations?: { destructiveHint?: boolean; readOnlyHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  /** Whether this call (its raw JSON arguments) needs a decision: `required`, narrowed by `when`. */
  needsApproval(rawArguments: string): boolean;
}

/** `required` (true when only `when` is set), narrowed by `when`; a `when` that fails on these arguments asks (fail closed). */
function approvalTest(policy: ToolApproval): (rawArguments: string) => boolean {
  const required = policy.required ?? policy.when !== undefined;
  if (!required) return () => false;
  if (policy.when === undefined) return () => true;
  let program: CelProgram | undefined;
  return (rawArguments) => {
    try {
      program ??= compileCel(policy.when!, APPROVAL_WHEN_VARIABLES);
      const args: unknown = rawArguments.trim() === "" ? {} : JSON.parse(rawArguments);
      return program.evaluate({ args }) !== false;
    } catch {
      return true;
    }
  };
}

/** `tool` with its approval policy attached (none when the policy asks for nothing). */
export function withApproval(tool: Tool, policy: ToolApproval | undefined, info: Omit<ApprovalGate, "policy" | "needsApproval">): Tool {
  if (!policy || !(policy.required ?? policy.when !== undefined)) return tool;
  return { ...tool, approval: { ...info, policy, needsApproval: approvalTest(policy) } };
}

/** A call a person decided, as the resumed loop applies it. */
export type ApprovalDecisionForCall =
  | { run: true; arguments?: string }
  | { run: false; message: string };

/** Where a paused agent loop stopped, and everything it needs to go on. */
export interface AgentPauseState {
  /** The run's messages up to and including the assistant turn with the calls. */
  messages: ChatMessage[];
  /** Index in `messages` where the run's own messages begin (after the prompt, history and input). */
  newMessagesFrom: number;
  /** Index of the first call of the turn not run yet. */
  pendingToolCallIndex: number;
  /** Results of the turn's calls that ran before the pause. */
  completedToolResults: ToolMessage[];
  /** The turn's calls from the pending one on that need a decision, with what the person sees of their tool. */
  calls: Array<{ call: ToolCall; gate: ApprovalGate }>;
  /** What the model said along with the calls. */
  reasoning?: string;
  tokenUsage: TokenCount;
  agent: { namespace: string; name: string };
}

/** Thrown by the agent loop when a call needs a person's decision and the run can pause (docs/architecture.md §3.2). */
export class ApprovalPause extends Error {
  override readonly name = "ApprovalPause";

  constructor(readonly state: AgentPauseState) {
    super(`agent ${state.agent.namespace}/${state.agent.name}: tool calls await approval: ${state.calls.map((c) => c.call.function.name).join(", ")}`);
  }
}

export function isApprovalPause(error: unknown): error is ApprovalPause {
  return error instanceof ApprovalPause;
}

/** What the agent loop is told about approvals: it may pause, and (resuming) where it stopped and what was decided. */
export interface AgentApprovals {
  resume?: { state: Omit<AgentPauseState, "calls" | "reasoning" | "agent">; decisions: ReadonlyMap<string, ApprovalDecisionForCall> };
}

/** The assistant turn a paused run stopped in. */
export function pausedTurn(messages: readonly ChatMessage[]): AssistantMessage | undefined {
  const last = messages.at(-1);
  return last?.role === "assistant" ? last : undefined;
}
