import type { ArkClient } from "@ark/kube";
import type { ResourceLookup } from "./lookup.js";

/** Fresh reads from the API (what a worker uses: it runs long after any cache it could keep). */
export function apiLookup(ark: ArkClient): ResourceLookup {
  return {
    agent: (namespace, name) => ark.agents.get(namespace, name),
    team: (namespace, name) => ark.teams.get(namespace, name),
    model: (namespace, name) => ark.models.get(namespace, name),
    tool: (namespace, name) => ark.tools.get(namespace, name),
  };
}
