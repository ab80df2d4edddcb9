import type { EventTargetRef } from "@ark/types";
import type { AgentResource } from "../targets/resolver.js";
import { type AgentDefinition, runAgent } from "../agent/loop.js";
import type { EventSink } from "../events/emit.js";
import type { ChatMessage } from "../messages.js";
import type { ModelProvider } from "../providers/provider.js";
import type { AgentApprovals } from "../tools/approval.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { TokenCount } from "../usage.js";

/** What a member gets on its turn: the user input (always last) after the shared conversation. */
export interface MemberTurn {
  input: string;
  /** History, then every message the team's members produced so far. */
  conversation: ChatMessage[];
  signal?: AbortSignal;
  emit?: EventSink;
  target?: EventTargetRef;
  stream?: boolean;
  /** The member may pause for tool approval, or resumes where it paused (docs/architecture.md §3.2). */
  approvals?: AgentApprovals;
}

export interface MemberResult {
  /** Messages the member added (assistant turns, tool results; all inner members' for a team). */
  messages: ChatMessage[];
  tokenUsage: TokenCount;
  /** The member called `terminate`: the team stops. An inner team never reports it (docs/upstream-compat.md §6.6). */
  terminated: boolean;
}

/** An agent or a team taking part in a team, already built (models loaded, tools ready). */
export interface TeamMember {
  type: "agent" | "team";
  name: string;
  /** Shown to the selector in .Roles. */
  description?: string;
  run(turn: MemberTurn): Promise<MemberResult>;
}

export interface AgentMemberOptions {
  agent: AgentDefinition;
  provider: ModelProvider;
  tools?: ToolRegistry;
  description?: string;
}

export function agentMember(options: AgentMemberOptions): TeamMember {
  return {
    type: "agent",
    name: options.agent.name,
    description: options.description,
    async run(turn) {
      const { input, conversation, stream, signal, emit, target, approvals } = turn;
      const { agent, provider, tools } = options;
      const result = await runAgent({ agent, provider, tools, input, history: conversation, stream, signal, emit, target, ...(approvals ? { approvals } : {}) });
      return { messages: result.messages, tokenUsage: result.tokenUsage, terminated: result.terminated };
    },
  };
}

/**
 * An agent run elsewhere (by an A2A server, by an ExecutionEngine) taking part in a team: each turn is one run with the
 * shared conversation as history, targeted at the agent unless the turn names a target; it never terminates the team.
 */
export function remoteAgentMember(agent: AgentResource, runTurn: (turn: MemberTurn, target: EventTargetRef) => Promise<Pick<MemberResult, "messages" | "tokenUsage">>): TeamMember {
  const name = agent.metadata.name ?? "";
  return {
    type: "agent",
    name,
    description: agent.spec.description,
    async run(turn) {
      const answer = await runTurn(turn, turn.target ?? { type: "agent", name });
      return { messages: answer.messages, tokenUsage: answer.tokenUsage, terminated: false };
    },
  };
}
