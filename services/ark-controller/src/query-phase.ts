import type { QueryPhase } from "@ark/types";

export const QUERY_FINALIZER = "ark.mckinsey.com/finalizer";
/** Query annotation: stream the model's answer (content.delta events for SSE clients). */
export const STREAMING_ANNOTATION = "ark.mckinsey.com/streaming-enabled";

const FINISHED: ReadonlySet<string> = new Set<QueryPhase>(["done", "error", "canceled"]);

/** done, error and canceled are terminal (docs/architecture.md §7.2: a canceled query stays canceled). */
export function isFinishedPhase(phase: string | undefined): boolean {
  return phase !== undefined && FINISHED.has(phase);
}
