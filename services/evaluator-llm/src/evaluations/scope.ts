import { ArkError } from "@ark/service-kit";

/**
 * The namespace an evaluation works in and the caller's right to it: with auth on, the token's namespace is the only
 * one whose Models and Queries may be read, so one tenant's evaluation never judges with another's model or data.
 */
export interface EvaluationScope {
  /** Where resources are looked up when the request names no namespace. */
  readonly namespace: string;
  /** `namespace` (or the default) after checking the caller may use it; `what` names the field in the refusal. */
  use(namespace: string | undefined, what: string): string;
}

export function evaluationScope(caller: string | undefined, requested: string | undefined): EvaluationScope {
  const check = (namespace: string, what: string): string => {
    if (caller !== undefined && namespace !== caller) {
      throw new ArkError("FORBIDDEN", `${what}: namespace ${namespace} is not the caller's (the token opens namespace ${caller})`);
    }
    return namespace;
  };
  const namespace = check(nonEmpty(requested) ?? caller ?? "default", "namespace");
  return { namespace, use: (requestedNamespace, what) => check(nonEmpty(requestedNamespace) ?? namespace, what) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
