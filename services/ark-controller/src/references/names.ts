import type { Agent } from "@ark/kube";

export interface NamespacedName {
  namespace: string;
  name: string;
}

export const DEFAULT_MODEL_NAME = "default";

/** The Model an agent uses: spec.modelRef, else the Model named default in the agent's namespace. */
export function agentModelRef(agent: Agent): NamespacedName {
  const namespace = agent.metadata.namespace ?? "";
  const ref = agent.spec.modelRef;
  return { namespace: ref?.namespace || namespace, name: ref?.name ?? DEFAULT_MODEL_NAME };
}

export function describeAgent(agent: Agent): string {
  return `agent ${agent.metadata.namespace ?? ""}/${agent.metadata.name ?? ""}`;
}

export function modelNotFound(agent: Agent, ref: NamespacedName): string {
  const fallback = agent.spec.modelRef ? "" : " (no spec.modelRef: the default model)";
  return `${describeAgent(agent)}: model "${ref.name}" not found in namespace ${ref.namespace}${fallback}`;
}
