import type { QueryTarget, QueryTargetError, QueryTargetResponse } from "@ark/types";
import { runTarget, type TargetOutcome } from "./run-target.js";
import type { TargetRequest } from "./target-run.js";

export interface QueryTargetsResult {
  /** One per target, in the order given. */
  outcomes: TargetOutcome[];
  /** The answers of the targets that succeeded, in completion order (Query `status.responses`). */
  responses: QueryTargetResponse[];
  /** The targets that failed, with their error (Query `status.errors`). */
  errors: QueryTargetError[];
  /** Every target succeeded: the query is done; otherwise it is an error that keeps `responses`. */
  ok: boolean;
}

/** Runs every target concurrently, each to its own response or error (docs/architecture.md §7.3). */
export async function runTargets(request: Omit<TargetRequest, "target" | "field"> & { targets: readonly QueryTarget[]; fieldOf?: (index: number) => string }): Promise<QueryTargetsResult> {
  const { targets, fieldOf, ...shared } = request;
  const responses: QueryTargetResponse[] = [];
  const outcomes = await Promise.all(
    targets.map(async (target, index) => {
      const outcome = await runTarget({ ...shared, target, ...(fieldOf ? { field: fieldOf(index) } : {}) });
      if (outcome.ok) responses.push({ target, content: outcome.content });
      return outcome;
    }),
  );
  const errors = outcomes.flatMap((o) => (o.ok ? [] : [{ target: o.target, message: o.message }]));
  return { outcomes, responses, errors, ok: errors.length === 0 };
}
