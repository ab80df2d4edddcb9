import type { EventTargetRef } from "@ark/types";
import { type AgentDefinition, runAgent } from "../agent/loop.js";
import type { EventSink } from "../events/emit.js";
import type { ChatMessage } from "../messages.js";
import type { ModelProvider } from "../providers/provider.js";
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
      const { input, conversation, stream, signal, emit, target } = turn;
      const { agent, provider, tools } = options;
      const result = await runAgent({ agent, provider, tools, input, history: conversation, stream, signal, emit, target });
      return { messages: result.messages, tokenUsage: result.tokenUsage, terminated: result.terminated };
    },
  };
}
