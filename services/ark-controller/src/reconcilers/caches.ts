import { a2aServerKind, agentKind, evaluationKind, evaluatorKind, executionEngineKind, mcpServerKind, memoryKind, modelKind, queryKind, referenceGrantKind, teamKind, toolApprovalRequestKind, toolKind } from "@ark/types";
import { CONFIG_MAPS, createInformerCache, SECRETS, SERVICES, type KubeLogger } from "@ark/kube";
import type { KubeConfig, V1ConfigMap, V1Secret, V1Service } from "@kubernetes/client-node";
import type { ResourceLookup } from "../references/lookup.js";

/** One informer per kind the reconcilers read, shared by every reconciler. */
export function createCaches(kc: KubeConfig, log: KubeLogger) {
  return {
    queries: createInformerCache(kc, queryKind, { log }),
    referenceGrants: createInformerCache(kc, referenceGrantKind, { log }),
    executionEngines: createInformerCache(kc, executionEngineKind, { log }),
    evaluators: createInformerCache(kc, evaluatorKind, { log }),
    evaluations: createInformerCache(kc, evaluationKind, { log }),
    a2aServers: createInformerCache(kc, a2aServerKind, { log }),
    toolApprovalRequests: createInformerCache(kc, toolApprovalRequestKind, { log }),
    ...referenceCaches(kc, log),
  };
}

/** Informers of what queries refer to: targets, MCP servers, memories, and the Secrets, ConfigMaps and Services values come from. */
export function referenceCaches(kc: KubeConfig, log: KubeLogger) {
  return {
    agents: createInformerCache(kc, agentKind, { log }),
    teams: createInformerCache(kc, teamKind, { log }),
    models: createInformerCache(kc, modelKind, { log }),
    tools: createInformerCache(kc, toolKind, { log }),
    mcpServers: createInformerCache(kc, mcpServerKind, { log }),
    memories: createInformerCache(kc, memoryKind, { log }),
    secrets: createInformerCache<V1Secret>(kc, SECRETS, { log }),
    configMaps: createInformerCache<V1ConfigMap>(kc, CONFIG_MAPS, { log }),
    services: createInformerCache<V1Service>(kc, SERVICES, { log }),
  };
}

export type Caches = ReturnType<typeof createCaches>;

export function cacheLookup(caches: Caches): ResourceLookup {
  return {
    agent: async (namespace, name) => caches.agents.get(namespace, name),
    team: async (namespace, name) => caches.teams.get(namespace, name),
    model: async (namespace, name) => caches.models.get(namespace, name),
    tool: async (namespace, name) => caches.tools.get(namespace, name),
    memory: async (namespace, name) => caches.memories.get(namespace, name),
    referenceGrants: async (namespace) => caches.referenceGrants.list(namespace),
  };
}

export async function startCaches(caches: Caches): Promise<void> {
  await Promise.all(Object.values(caches).map((cache) => cache.start()));
}

export async function stopCaches(caches: Caches): Promise<void> {
  await Promise.all(Object.values(caches).map((cache) => cache.stop()));
}
