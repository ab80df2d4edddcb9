import type { ServiceApp } from "@ark/service-kit";
import { callerNamespace } from "../auth/caller-namespace.js";
import type { EvaluatorDeps } from "../deps.js";
import { evaluate } from "../evaluations/evaluate.js";

/** `POST /evaluate`: both request shapes of the evaluator contract, one response shape (README). */
export function registerEvaluateRoute(app: ServiceApp, deps: EvaluatorDeps): void {
  app.post("/evaluate", async (request) => {
    const result = await evaluate(deps, request.body, callerNamespace(request));
    const type = (request.body as { type?: unknown } | null)?.type ?? "query-evaluator";
    if (result.error) request.log.warn({ type, error: result.error }, "evaluation failed");
    else request.log.info({ type, score: result.score, passed: result.passed }, "evaluated");
    return result;
  });
}
