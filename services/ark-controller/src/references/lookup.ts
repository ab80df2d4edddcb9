import type { Agent, Memory, Model, ReferenceGrant, Team, Tool } from "@ark/kube";

/** Reads referenced resources: the informer caches in the reconciler, the API in a worker. */
export interface ResourceLookup {
  agent(namespace: string, name: string): Promise<Agent | undefined>;
  team(namespace: string, name: string): Promise<Team | undefined>;
  model(namespace: string, name: string): Promise<Model | undefined>;
  tool(namespace: string, name: string): Promise<Tool | undefined>;
  memory(namespace: string, name: string): Promise<Memory | undefined>;
  /** The ReferenceGrants of a namespace: what other namespaces may refer to in it. */
  referenceGrants(namespace: string): Promise<ReferenceGrant[]>;
}
