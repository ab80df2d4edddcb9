import type { EventSink } from "../events/emit.js";
import type { ToolDefinition } from "../messages.js";
import type { AgentApprovals, ApprovalGate } from "./approval.js";

export interface ToolCallContext {
  toolCallId: string;
  /** The calling agent, `namespace/name`. */
  agent: string;
  signal?: AbortSignal;
  /** Where a nested run (an agent or team called as a tool) sends its events; they carry `parentToolCallId`. */
  emitNested?: EventSink;
  /** The caller may pause for tool approval, so a nested run may too; or the nested run resumes (docs/architecture.md §3.2). */
  approvals?: AgentApprovals;
}

export interface ToolResult {
  /** What the model sees as the tool message. */
  content: string;
  /** Ends the agent with `content` as its answer (the built-in `terminate`). */
  terminate?: boolean;
}

/**
 * A function the model can call. A thrown error is not fatal: the loop returns `Error: <message>` to the
 * model as the tool result (docs/architecture.md §7.2).
 */
export interface Tool {
  readonly definition: ToolDefinition;
  /** Label used in events and errors: builtin, http, mcp, agent, team. */
  readonly kind: string;
  execute(rawArguments: string, context: ToolCallContext): Promise<ToolResult>;
  /** Calls need a person's approval first (docs/architecture.md §3.2). */
  readonly approval?: ApprovalGate;
}

export function toolName(tool: Tool): string {
  return tool.definition.function.name;
}
