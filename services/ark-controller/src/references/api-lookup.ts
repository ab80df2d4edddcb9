import type { ArkClient } from "@ark/kube";
import type { ResourceLookup } from "./lookup.js";

/** Reads from the API through `ark` (a worker's: straight from the API, or through its read-through caches). */
export function apiLookup(ark: ArkClient): ResourceLookup {
  return {
    agent: (namespace, name) => ark.agents.get(namespace, name),
    team: (namespace, name) => ark.teams.get(namespace, name),
    model: (namespace, name) => ark.models.get(namespace, name),
    tool: (namespace, name) => ark.tools.get(namespace, name),
    memory: (namespace, name) => ark.memories.get(namespace, name),
    referenceGrants: (namespace) => ark.referenceGrants.list(namespace),
  };
}
