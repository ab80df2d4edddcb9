import type { QueryPhase } from "./query.js";

// The names the controller writes and every reader (ark-api, ark-mcp, the CLI, tests) reads: one place for all.

/** Phases a query never leaves: done, error and canceled (a canceled query stays canceled). */
export const FINISHED_QUERY_PHASES = ["done", "error", "canceled"] as const satisfies readonly QueryPhase[];
export type FinishedQueryPhase = (typeof FINISHED_QUERY_PHASES)[number];

export function isFinishedQueryPhase(phase: string | undefined): phase is FinishedQueryPhase {
  return (FINISHED_QUERY_PHASES as readonly string[]).includes(phase ?? "");
}

/** The controller's finalizer on Queries: it cancels a running query's run before the object goes. */
export const QUERY_FINALIZER = "ark.mckinsey.com/finalizer";
/** Query annotation: stream the model's answer (content.delta events for SSE clients). */
export const STREAMING_ANNOTATION = "ark.mckinsey.com/streaming-enabled";
/** Query annotation, as upstream: "true" keeps the system messages of the memory session's history (left out by default). */
export const MEMORY_HYDRATE_SYSTEM_ANNOTATION = "ark.mckinsey.com/memory-hydrate-system-message";
/**
 * Query annotations: the W3C trace context of whoever created the query, so the reconciler and the worker continue
 * that trace (docs/architecture.md §9). Set by the API client on create when a span is active.
 */
export const TRACEPARENT_ANNOTATION = "ark.mckinsey.com/traceparent";
export const TRACESTATE_ANNOTATION = "ark.mckinsey.com/tracestate";

/** Query condition types: references resolved, a run in progress, and the outcome. */
export const QueryConditions = { Resolved: "Resolved", Running: "Running", Completed: "Completed", AwaitingApproval: "AwaitingApproval" } as const;

/** Reasons of the Query's AwaitingApproval condition and the ToolApprovalRequest's Resumed one (docs/architecture.md §3.2). */
export const ApprovalReasons = { Pending: "ApprovalPending", Decided: "ApprovalDecided", Expired: "ApprovalExpired", Resumed: "Resumed" } as const;

/** Reasons of the Query conditions; the last four are also the reason of a finished query. */
export const QueryReasons = {
  Pending: "Pending",
  ReferencesResolved: "ReferencesResolved",
  ReferenceNotFound: "ReferenceNotFound",
  Enqueued: "Enqueued",
  Running: "Running",
  Succeeded: "Succeeded",
  Failed: "Failed",
  TimedOut: "TimedOut",
  Canceled: "Canceled",
  /** Done: a team stopped at spec.maxTurns. */
  MaxTurnsReached: "MaxTurnsReached",
  /** Done: a team member called terminate. */
  Terminated: "Terminated",
  /** Done: a graph team reached a member with no outgoing edge. */
  GraphEnded: "GraphEnded",
} as const;
export type QueryReason = (typeof QueryReasons)[keyof typeof QueryReasons];

/** The condition of Models, Agents, Teams, Tools and Memories: usable as configured (references resolve, the service answers). */
export const AVAILABLE_CONDITION = "Available";

/** Reasons of the Available condition. */
export const AvailableReasons = {
  ReferencesResolved: "ReferencesResolved",
  ReferenceNotFound: "ReferenceNotFound",
  ProbeSucceeded: "ProbeSucceeded",
  ProbeFailed: "ProbeFailed",
  AddressResolved: "AddressResolved",
  InvalidAddress: "InvalidAddress",
  AddressResolutionFailed: "AddressResolutionFailed",
} as const;

/** MCPServer condition types: it lists its tools (Ready), and discovery is under way (Discovering). */
export const McpServerConditions = { Ready: "Ready", Discovering: "Discovering" } as const;

/** Reasons of the MCPServer conditions. */
export const McpServerReasons = {
  Initializing: "Initializing",
  Starting: "Starting",
  ToolsDiscovered: "ToolsDiscovered",
  DiscoveryComplete: "DiscoveryComplete",
  ToolListingFailed: "ToolListingFailed",
  ServerConnectedAndToolListingFailed: "ServerConnectedAndToolListingFailed",
  ToolCreationFailed: "ToolCreationFailed",
  AddressResolutionFailed: "AddressResolutionFailed",
  ClientCreationFailed: "ClientCreationFailed",
} as const;

/** Evaluator condition: the evaluator answers at its resolved address (GET /health next to it). */
export const EVALUATOR_READY_CONDITION = "Ready";

/** Reasons of the Evaluator's Ready condition. */
export const EvaluatorReasons = {
  ProbeSucceeded: "ProbeSucceeded",
  ProbeFailed: "ProbeFailed",
  AddressResolutionFailed: "AddressResolutionFailed",
} as const;

/** Labels and annotations of the Evaluations an Evaluator's selector creates (upstream's names, docs/upstream-compat.md §5.8). */
export const EvaluationLabels = {
  evaluator: "ark.mckinsey.com/evaluator",
  query: "ark.mckinsey.com/query",
  auto: "ark.mckinsey.com/auto",
  /** A batch's children and a dataset's Queries carry their parent Evaluation's name. */
  parent: "parent-evaluation",
  childIndex: "child-index",
} as const;
export const EvaluationAnnotations = {
  queryGeneration: "ark.mckinsey.com/query-generation",
  queryPhase: "ark.mckinsey.com/query-phase",
  /** Prefix of the annotations an evaluation's result metadata is copied to (`evaluation.metadata/reasoning`). */
  metadataPrefix: "evaluation.metadata/",
} as const;

/** Phases an Evaluation never leaves. */
export const FINISHED_EVALUATION_PHASES = ["done", "error", "canceled"] as const;

export function isFinishedEvaluationPhase(phase: string | undefined): boolean {
  return (FINISHED_EVALUATION_PHASES as readonly string[]).includes(phase ?? "");
}
/** A2AServer condition types: its remote agent is known and kept as an Agent (Ready), and discovery is under way (Discovering). */
export const A2AServerConditions = { Ready: "Ready", Discovering: "Discovering" } as const;

/** Reasons of the A2AServer conditions (upstream's, plus one per way a card can be unusable). */
export const A2AServerReasons = {
  Initializing: "Initializing",
  StartingDiscovery: "StartingDiscovery",
  AddressResolutionFailed: "AddressResolutionFailed",
  HeadersResolutionFailed: "HeadersResolutionFailed",
  ServerUnreachable: "ServerUnreachable",
  EgressRefused: "EgressRefused",
  CardNotFound: "CardNotFound",
  CardNotJson: "CardNotJson",
  CardTooLarge: "CardTooLarge",
  InvalidCard: "InvalidCard",
  DiscoveryFailed: "DiscoveryFailed",
  AgentCreationFailed: "AgentCreationFailed",
  DiscoveryComplete: "DiscoveryComplete",
  AgentDiscovered: "AgentDiscovered",
} as const;
