import type { Query } from "@ark/kube";
import type { QueryTargetResponse } from "@ark/types";
import { EvaluationFailure } from "./failure.js";

const targetName = (r: QueryTargetResponse) => `${r.target.type}:${r.target.name}`;

/** How the judge sees a response: upstream's `Response from <type> '<name>'`. */
export function responseLabel(r: QueryTargetResponse): string {
  return `Response from ${r.target.type} '${r.target.name}'`;
}

/** The responses judged: the one of `responseTarget` (`type:name`, or a bare name), or all. */
export function selectResponses(responses: readonly QueryTargetResponse[], responseTarget: string | undefined, query: string): QueryTargetResponse[] {
  if (responses.length === 0) throw new EvaluationFailure(`query ${query} has no responses to evaluate`);
  if (!responseTarget) return [...responses];
  const wanted = responseTarget.includes(":") ? (r: QueryTargetResponse) => targetName(r) === responseTarget : (r: QueryTargetResponse) => r.target.name === responseTarget;
  const selected = responses.filter(wanted);
  if (selected.length === 0) {
    throw new EvaluationFailure(`query ${query} has no response from ${responseTarget} (config.queryRef.responseTarget); it has ${responses.map(targetName).join(", ")}`);
  }
  return selected;
}

/** A finished Query read through the API; one still running or failed cannot be judged. */
export async function readFinishedQuery(get: (ns: string, name: string) => Promise<Query | undefined>, namespace: string, name: string): Promise<Query> {
  const query = await get(namespace, name);
  if (!query) throw new EvaluationFailure(`query ${namespace}/${name} not found`);
  const phase = query.status?.phase;
  if (phase !== "done" && phase !== "evaluating") {
    throw new EvaluationFailure(`query ${namespace}/${name} is not complete (phase: ${phase ?? "pending"})${query.status?.message ? `: ${query.status.message}` : ""}`);
  }
  return query;
}
