import { EngineError } from "../errors.js";
import type { ChatMessage } from "../messages.js";
import type { AgentDefinition, RunInput } from "../agent/loop.js";
import type { ModelProvider } from "../providers/provider.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { TokenCount } from "../usage.js";
import { graphStrategy } from "./graph.js";
import type { TeamMember } from "./member.js";
import { roundRobinStrategy } from "./round-robin.js";
import { selectorStrategy } from "./selector.js";
import { sequentialStrategy } from "./sequential.js";
import { type Strategy, type TeamEnd, TeamRun } from "./team-run.js";

/** A Team resource with its members built (the caller loads agents, models and inner teams). */
export interface TeamDefinition {
  namespace: string;
  name: string;
  strategy: string;
  members: TeamMember[];
  description?: string;
  /** Rounds (round-robin), selections (selector) or steps (graph); reaching it ends the team normally. */
  maxTurns?: number;
  /** `spec.loops`: a sequential team goes round again (rounds, as round-robin) until terminate or maxTurns. */
  loops?: boolean;
  /** Graph hand-offs; a later edge from the same member replaces an earlier one. */
  edges?: readonly { from: string; to: string }[];
  /** The selector strategy's chooser (`spec.selector.agent`, else its model) and `spec.selector.selectorPrompt`. */
  selector?: TeamSelector;
}

/** Who picks the selector strategy's next member: an agent (upstream's `selector.agent`) or a model (the older form). */
export interface TeamSelector {
  provider?: ModelProvider;
  agent?: { definition: AgentDefinition; provider: ModelProvider; tools?: ToolRegistry };
  prompt?: string;
  /** `spec.selector.enableTerminateTool`: the selector may call terminate to end the team; `prompt` says when. */
  terminate?: { prompt?: string };
}

/** `approvals`: the team may pause for a member's call, or resumes at the member it paused in (docs/architecture.md §3.2). */
export interface RunTeamOptions extends RunInput {
  team: TeamDefinition;
}

export interface TeamRunResult {
  /** Every member's messages, in order (an inner team's included). */
  messages: ChatMessage[];
  /** The last message's content: the team's answer. */
  content: string;
  /** Members' and selector calls, each counted once. */
  tokenUsage: TokenCount;
  /** A member called terminate. */
  terminated: boolean;
  /** Why the team stopped other than by its last member answering: maxTurns, a terminate call, the graph's end. */
  end?: TeamEnd;
}

export const TEAM_STRATEGY_RUNNERS: Readonly<Record<string, Strategy>> = {
  sequential: sequentialStrategy,
  "round-robin": roundRobinStrategy,
  selector: selectorStrategy,
  graph: graphStrategy,
};

/** Runs a team to its end (docs/upstream-compat.md §6.6 with docs/architecture.md §7.2: maxTurns is a normal end). */
export async function runTeam(options: RunTeamOptions): Promise<TeamRunResult> {
  const { team } = options;
  const key = `${team.namespace}/${team.name}`;
  if (team.members.length === 0) throw new EngineError("CONFIG_ERROR", `team ${key} has no members configured`);
  const strategy = team.strategy === "sequential" && team.loops ? roundRobinStrategy : TEAM_STRATEGY_RUNNERS[team.strategy];
  if (!strategy) throw new EngineError("CONFIG_ERROR", `unsupported strategy ${team.strategy} for team ${key}`);
  const run = new TeamRun(team, options);
  const { terminated, end: strategyEnd } = await strategy(run);
  const by = run.terminatedBy;
  const end: TeamEnd | undefined = strategyEnd ?? (terminated && by ? { code: "Terminated", message: `team ${key}: ${by.type} ${by.name} ended the team (terminate)` } : undefined);
  const last = run.produced.at(-1);
  return {
    messages: run.produced,
    content: typeof last?.content === "string" ? last.content : "",
    tokenUsage: run.tokenUsage,
    terminated,
    ...(end ? { end } : {}),
  };
}

/** A team as a member of another team; its terminate ends only itself. */
export function teamMember(team: TeamDefinition): TeamMember {
  return {
    type: "team",
    name: team.name,
    description: team.description,
    async run(turn) {
      const { approvals } = turn;
      const result = await runTeam({ team, input: turn.input, history: turn.conversation, stream: turn.stream, signal: turn.signal, emit: turn.emit, target: turn.target, ...(approvals ? { approvals } : {}) });
      return { messages: result.messages, tokenUsage: result.tokenUsage, terminated: false };
    },
  };
}
