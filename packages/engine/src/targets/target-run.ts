import type { QueryTarget } from "@ark/types";
import { EngineError } from "../errors.js";
import type { EventSink } from "../events/emit.js";
import type { SessionMemory } from "../memory/session-memory.js";
import type { ChatMessage } from "../messages.js";
import type { AgentApprovals } from "../tools/approval.js";
import type { TargetEnvironment } from "./environment.js";
import type { TeamEnd } from "../teams/team-run.js";

/** One query target to run: everything a worker passes, for any target type. */
export interface TargetRequest extends TargetEnvironment {
  /** The query's namespace: targets are looked up there. */
  namespace: string;
  target: QueryTarget;
  /** The query input, its parameters already applied. */
  input: string;
  /** Earlier conversation (agent, team and model targets); replaced by the session's messages when `memory` is set. */
  history?: ChatMessage[];
  /**
   * A `type: messages` query's messages before its last (docs/upstream-compat.md §6.2): the conversation goes on with
   * them after the history, and memory keeps them with the exchange.
   */
  priorMessages?: ChatMessage[];
  /** The query's memory session: read before, appended after each agent, team and model target (docs/upstream-compat.md §9). */
  memory?: SessionMemory;
  /** Keep the system messages of the session's history (left out by default, as upstream; docs/upstream-compat.md §9.1). */
  hydrateSystemMessages?: boolean;
  signal?: AbortSignal;
  emit?: EventSink;
  stream?: boolean;
  /** The query being run (execution engines are told it, and its deadline). */
  query?: { name: string; namespace: string; uid?: string; deadline?: string };
  /** The run may pause for tool approval (a query's single agent target; docs/architecture.md §3.2), or resumes. */
  approvals?: AgentApprovals;
  /** Where the query names this target (`spec.target`, `spec.targets[1]`): a target that does not exist is reported there. */
  field?: string;
  /** How a non-engine error (an API failure) reads in the outcome; default its message. */
  describeError?: (error: unknown) => string;
}

/** What a target type's runner produces. */
export interface TargetAnswer {
  content: string;
  /** Messages the target added after the user input (for memory). */
  messages: ChatMessage[];
  /** Why it ended other than by answering: a team's maxTurns, terminate call or graph end. */
  end?: TeamEnd;
  /** An A2A agent's context and task. */
  a2a?: { contextId?: string; taskId?: string };
}

export type TargetRunner = (request: TargetRequest) => Promise<TargetAnswer>;

/** The query's target does not exist: `spec.target: agent "x" not found in namespace ns`, naming the field when known. */
export function targetNotFound({ namespace, target, field }: Pick<TargetRequest, "namespace" | "target" | "field">): EngineError {
  return new EngineError("CONFIG_ERROR", `${field ? `${field}: ` : ""}${target.type} "${target.name}" not found in namespace ${namespace}`);
}
