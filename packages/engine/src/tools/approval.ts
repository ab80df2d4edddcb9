import { APPROVAL_WHEN_VARIABLES, compileCel, type CelProgram, type ToolApproval } from "@ark/types";
import type { AssistantMessage, ChatMessage, ToolCall, ToolMessage } from "../messages.js";
import type { TokenCount } from "../usage.js";
import type { Tool } from "./tool.js";
import { EngineError } from "../errors.js";

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
export type ApprovalDecisionForCall = { run: true; arguments?: string } | { run: false; message: string };

/** Where a paused agent loop stopped, and everything it needs to go on. */
export interface AgentFrame {
  kind: "agent";
  agent: { namespace: string; name: string };
  /** The run's messages up to and including the assistant turn with the calls. */
  messages: ChatMessage[];
  /** Index in `messages` where the run's own messages begin (after the prompt, history and input). */
  newMessagesFrom: number;
  /** Index of the first call of the turn not run yet (in an enclosing frame: the nested run that paused). */
  pendingToolCallIndex: number;
  /** Results of the turn's calls that ran before the pause. */
  completedToolResults: ToolMessage[];
  /** Tokens this agent's own model calls used before the pause. */
  tokenUsage: TokenCount;
}

/** Where a paused team stopped: the turn (round, selection or graph step) and the member whose run paused. */
interface TeamFrame {
  kind: "team";
  team: { namespace: string; name: string };
  turn: number;
  member: { index: number; name: string };
  /** What the members said before the paused member's turn. */
  produced: ChatMessage[];
  tokenUsage: TokenCount;
}

export type RunFrame = AgentFrame | TeamFrame;

/**
 * A paused run: its frames from the query's target inward (a team, the member agent, an agent it called as a tool, …),
 * the last one the agent whose calls wait, with those calls (docs/architecture.md §3.2).
 */
export interface AgentPauseState {
  frames: [...RunFrame[], AgentFrame];
  /** The innermost turn's calls from the pending one on that need a decision, with what the person sees of their tool. */
  calls: Array<{ call: ToolCall; gate: ApprovalGate }>;
  /** What the model said along with the calls. */
  reasoning?: string;
}

/** Thrown by the agent loop when a call needs a person's decision and the run can pause (docs/architecture.md §3.2). */
export class ApprovalPause extends Error {
  override readonly name = "ApprovalPause";

  constructor(readonly state: AgentPauseState) {
    const { agent } = state.frames.at(-1) as AgentFrame;
    super(`agent ${agent.namespace}/${agent.name}: tool calls await approval: ${state.calls.map((c) => c.call.function.name).join(", ")}`);
  }

  /** The same pause seen from an enclosing run, which adds its own frame outside. */
  within(frame: RunFrame): ApprovalPause {
    return new ApprovalPause({ ...this.state, frames: [frame, ...this.state.frames] });
  }
}

export function isApprovalPause(error: unknown): error is ApprovalPause {
  return error instanceof ApprovalPause;
}

/** A paused run resuming: its frames from this level inward, and each innermost call's decision. */
export interface RunResume {
  frames: readonly RunFrame[];
  decisions: ReadonlyMap<string, ApprovalDecisionForCall>;
}

/**
 * What a run (agent loop, team, nested run) is told about approvals: it may pause, and (resuming) where it stopped
 * and what was decided; `resume.frames[0]` is its own frame.
 */
export interface AgentApprovals {
  resume?: RunResume;
}

/** The approvals a run passes to the run nested in it: its resume's inner frames, or only the right to pause. */
export function innerApprovals(resume: RunResume): AgentApprovals {
  return { resume: { frames: resume.frames.slice(1), decisions: resume.decisions } };
}

/** This run's own frame of a resume, checked to be of its kind and for it (the resource may have changed while it waited). */
export function ownFrame<K extends RunFrame["kind"]>(resume: RunResume, kind: K, namespace: string, name: string): Extract<RunFrame, { kind: K }> {
  const frame = resume.frames[0];
  const who = frame?.kind === "agent" ? frame.agent : frame?.team;
  if (frame?.kind !== kind || who?.namespace !== namespace || who.name !== name) {
    throw new EngineError("CONFIG_ERROR", `${kind} ${namespace}/${name}: cannot resume the paused run: it paused in ${frame ? `${frame.kind} ${who?.namespace}/${who?.name}` : "nothing"}`);
  }
  return frame as Extract<RunFrame, { kind: K }>;
}

/** The assistant turn a paused run stopped in. */
export function pausedTurn(messages: readonly ChatMessage[]): AssistantMessage | undefined {
  const last = messages.at(-1);
  return last?.role === "assistant" ? last : undefined;
}
