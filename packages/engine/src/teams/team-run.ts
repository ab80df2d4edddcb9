import { throwIfAborted } from "../abort.js";
import { EngineError, isEngineError } from "../errors.js";
import { contextEmitter, type StepEvent } from "../events/emit.js";
import type { ChatMessage } from "../messages.js";
import type { TargetEndReason } from "@ark/types";
import { traced } from "../tracing.js";
import { innerApprovals, isApprovalPause, ownFrame, type RunResume } from "../tools/approval.js";
import { addUsage, type TokenCount, zeroUsage } from "../usage.js";
import type { MemberTurn, TeamMember } from "./member.js";
import type { RunTeamOptions, TeamDefinition } from "./team.js";

export type SelectionReason = "order" | "exact_match" | "fallback" | "graph";

/** Why a team ended other than by its last member answering: a code and the words the query's status shows. */
export interface TeamEnd {
  code: TargetEndReason;
  message: string;
}

/** How a strategy ended: `terminated` by a member's terminate call, or another `end` such as maxTurns reached. */
interface StrategyEnd {
  terminated: boolean;
  end?: TeamEnd;
}

export type Strategy = (run: TeamRun) => Promise<StrategyEnd>;

/** The end of a strategy that ran spec.maxTurns turns. */
export function maxTurnsReached(run: TeamRun): StrategyEnd {
  return { terminated: false, end: { code: "MaxTurnsReached", message: `team ${run.key} stopped at maxTurns (${run.team.maxTurns})` } };
}

/** One execution of a team: the shared conversation, its usage, and the member step every strategy uses (docs/upstream-compat.md §6.6). */
export class TeamRun {
  readonly key: string;
  readonly produced: ChatMessage[] = [];
  tokenUsage: TokenCount = zeroUsage();
  /** The member whose terminate call ended the team. */
  terminatedBy: TeamMember | undefined;
  readonly emit: ((event: StepEvent) => void) | undefined;
  /**
   * Resuming a paused run (docs/architecture.md §3.2): the turn and member index it paused in. Strategies start there;
   * cleared once that member runs again.
   */
  resumeAt: { turn: number; index: number } | undefined;
  readonly #resume: RunResume | undefined;

  constructor(
    readonly team: TeamDefinition,
    readonly options: RunTeamOptions,
  ) {
    this.key = `${team.namespace}/${team.name}`;
    this.emit = contextEmitter(options.emit, { target: options.target });
    this.#resume = options.approvals?.resume;
    if (this.#resume) {
      const frame = ownFrame(this.#resume, "team", team.namespace, team.name);
      if (team.members[frame.member.index]?.name !== frame.member.name) {
        throw new EngineError("CONFIG_ERROR", `team ${this.key}: cannot resume the paused run: member ${frame.member.index} is no longer ${frame.member.name}`);
      }
      this.produced.push(...frame.produced);
      this.tokenUsage = frame.tokenUsage;
      this.resumeAt = { turn: frame.turn, index: frame.member.index };
    }
  }

  /** History, then what the members said so far: what the next member sees before the user input. */
  get conversation(): ChatMessage[] {
    return [...(this.options.history ?? []), ...this.produced];
  }

  addUsage(usage: TokenCount): void {
    this.tokenUsage = addUsage(this.tokenUsage, usage);
  }

  startTurn(turn: number): void {
    throwIfAborted(this.options.signal, `team ${this.key}`);
    // A resumed run does not announce again the turn it paused in.
    if (!this.resumeAt) this.emit?.({ type: "team.turn", team: this.key, turn });
  }

  /** Runs one member on the shared conversation; true when it terminated the team. */
  async runMember(member: TeamMember, turn: number, reason: SelectionReason, selectorAnswer?: string): Promise<boolean> {
    throwIfAborted(this.options.signal, `team ${this.key}`);
    const index = this.team.members.indexOf(member);
    // The member the run paused in goes on from its own frame, without being selected again.
    const resuming = this.resumeAt?.index === index && this.#resume ? innerApprovals(this.#resume) : undefined;
    this.resumeAt = undefined;
    if (!resuming) {
      this.emit?.({
        type: "team.member.selected",
        team: this.key,
        member: { type: member.type, name: member.name },
        turn,
        reason,
        ...(selectorAnswer !== undefined ? { selectorAnswer } : {}),
      });
    }
    const { input, signal, emit, target, stream } = this.options;
    const approvals = this.options.approvals ? (resuming ?? {}) : undefined;
    const attributes = { "ark.team": this.key, "ark.team.turn": turn, "ark.team.member": `${member.type}/${member.name}`, "ark.team.selection": reason };
    const memberTurn: MemberTurn = { input, conversation: this.conversation, signal, emit, target, stream, ...(approvals ? { approvals } : {}) };
    return traced("team.turn", attributes, () => this.memberTurn(member, memberTurn, { turn, index }));
  }

  private async memberTurn(member: TeamMember, memberTurn: MemberTurn, at: { turn: number; index: number }): Promise<boolean> {
    const { signal } = memberTurn;
    try {
      const result = await member.run(memberTurn);
      this.produced.push(...result.messages);
      this.addUsage(result.tokenUsage);
      if (result.terminated) this.terminatedBy = member;
      return result.terminated;
    } catch (error) {
      if (isApprovalPause(error)) {
        const team = { namespace: this.team.namespace, name: this.team.name };
        throw error.within({ kind: "team", team, turn: at.turn, member: { index: at.index, name: member.name }, produced: [...this.produced], tokenUsage: this.tokenUsage });
      }
      if (signal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const code = isEngineError(error) ? error.code : "PROVIDER_ERROR";
      throw new EngineError(code, `team ${this.key}: ${member.type} ${member.name}: ${message}`, { cause: error, retryable: isEngineError(error) ? error.retryable : undefined });
    }
  }

  /** The member named `name` (graph edges, selector answers). */
  member(name: string): TeamMember | undefined {
    return this.team.members.find((m) => m.name === name);
  }
}
