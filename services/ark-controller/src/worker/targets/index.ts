import { contextEmitter, EngineError, isEngineError, TokenUsageCollector } from "@ark/engine";
import { apiErrorMessage } from "@ark/kube";
import type { QueryTarget } from "@ark/types";
import { runAgentTarget } from "./agent.js";
import type { TargetRun, TargetRunner } from "./target-runner.js";

export type { TargetRun, TargetRunner } from "./target-runner.js";

/** Target type → its module; teams, models and tools join in the next issue, one file each. */
const TARGET_RUNNERS: Partial<Record<QueryTarget["type"], TargetRunner>> = {
  agent: runAgentTarget,
};

export type TargetOutcome =
  | { target: QueryTarget; ok: true; content: string }
  | { target: QueryTarget; ok: false; message: string; code?: string };

/** Runs one target between target.started and target.completed/failed; a failure is an outcome, not a throw. */
export async function runTarget(run: TargetRun): Promise<TargetOutcome> {
  const { target } = run;
  const emit = contextEmitter(run.emit, { target })!;
  const usage = new TokenUsageCollector(run.emit);
  const started = performance.now();
  emit({ type: "target.started" });
  try {
    const runner = TARGET_RUNNERS[target.type];
    if (!runner) throw new EngineError("CONFIG_ERROR", `${target.type} "${target.name}": ${target.type} targets are not supported yet`);
    const { content } = await runner({ ...run, emit: usage.sink });
    emit({ type: "target.completed", content, tokenUsage: usage.usage, durationMs: performance.now() - started });
    return { target, ok: true, content };
  } catch (error) {
    const failure = describeFailure(error);
    emit({ type: "target.failed", ...failure, durationMs: performance.now() - started });
    return { target, ok: false, ...failure };
  }
}

function describeFailure(error: unknown): { message: string; code?: string } {
  if (isEngineError(error)) return { message: error.message, code: error.code };
  return { message: apiErrorMessage(error) };
}
