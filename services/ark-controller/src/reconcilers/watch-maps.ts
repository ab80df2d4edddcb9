import { keyOf, type Agent, type InformerCache, type Query } from "@ark/kube";
import { agentModelRef } from "../references/names.js";

/** Agents whose model is this one, so creating the Model flips them to Available. */
export function agentsUsingModel(agents: InformerCache<Agent>) {
  return (model: { metadata?: { namespace?: string; name?: string } }): string[] =>
    agents
      .list()
      .filter((agent) => {
        const ref = agentModelRef(agent);
        return ref.namespace === model.metadata?.namespace && ref.name === model.metadata?.name;
      })
      .map(keyOf);
}

/** Every object of a cache in the changed object's namespace (teams re-checking members, agents re-checking tools). */
export function sameNamespace<T extends { metadata?: { namespace?: string; name?: string } }>(cache: InformerCache<T>) {
  return (changed: { metadata?: { namespace?: string } }): string[] => cache.list(changed.metadata?.namespace ?? "").map(keyOf);
}

/** Queries still waiting for references in the changed object's namespace. */
export function waitingQueries(queries: InformerCache<Query>) {
  return (changed: { metadata?: { namespace?: string } }): string[] =>
    queries
      .list(changed.metadata?.namespace ?? "")
      .filter((query) => !query.status?.phase || query.status.phase === "pending")
      .map(keyOf);
}

/** Keys from `keysIn` for every namespace a changed ReferenceGrant lets in: what may now be allowed, or no longer. */
export function grantedNamespaces(keysIn: (namespace: string) => string[]) {
  return (grant: { spec?: { from?: { namespace: string }[] } }): string[] => [...new Set((grant.spec?.from ?? []).map((from) => from.namespace))].flatMap(keysIn);
}
