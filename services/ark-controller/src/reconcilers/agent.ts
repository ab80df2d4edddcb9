import { splitKey, type ArkClient, type InformerCache, type Agent } from "@ark/kube";
import { agentReferenceProblems } from "../references/agent-references.js";
import type { ResourceLookup } from "../references/lookup.js";
import { writeAvailability } from "./available.js";

/** Agent: its model and custom tools resolve → Available, else False naming what is missing. */
export function agentReconciler(deps: { agents: InformerCache<Agent>; lookup: ResourceLookup; ark: ArkClient }) {
  return async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const agent = deps.agents.get(namespace, name);
    if (!agent) return;
    await writeAvailability(deps.ark.agents, agent, await agentReferenceProblems(agent, deps.lookup));
  };
}
