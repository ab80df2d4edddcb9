import type { KubeConfig } from "@kubernetes/client-node";
import {
  a2aServerKind,
  agentKind,
  evaluationKind,
  evaluatorKind,
  executionEngineKind,
  mcpServerKind,
  memoryKind,
  modelKind,
  queryKind,
  referenceGrantKind,
  teamKind,
  toolApprovalRequestKind,
  toolKind,
  a2aTaskKind,
} from "@ark/types";
import type { ObjectOf } from "./ark-object.js";
import { createKindClient } from "./kind-client.js";

export type Model = ObjectOf<typeof modelKind>;
export type Agent = ObjectOf<typeof agentKind>;
export type Team = ObjectOf<typeof teamKind>;
export type Query = ObjectOf<typeof queryKind>;
export type Tool = ObjectOf<typeof toolKind>;
export type MCPServer = ObjectOf<typeof mcpServerKind>;
export type Memory = ObjectOf<typeof memoryKind>;
export type Evaluator = ObjectOf<typeof evaluatorKind>;
export type Evaluation = ObjectOf<typeof evaluationKind>;
export type ExecutionEngine = ObjectOf<typeof executionEngineKind>;
export type A2AServer = ObjectOf<typeof a2aServerKind>;
export type ReferenceGrant = ObjectOf<typeof referenceGrantKind>;
export type ToolApprovalRequest = ObjectOf<typeof toolApprovalRequestKind>;
export type A2ATask = ObjectOf<typeof a2aTaskKind>;

/** One typed client per ARK kind: `ark.queries.get(ns, name)`, `ark.agents.patchStatus(...)`. */
export function createArkClient(kc: KubeConfig) {
  return {
    models: createKindClient(kc, modelKind),
    agents: createKindClient(kc, agentKind),
    teams: createKindClient(kc, teamKind),
    queries: createKindClient(kc, queryKind),
    tools: createKindClient(kc, toolKind),
    mcpServers: createKindClient(kc, mcpServerKind),
    memories: createKindClient(kc, memoryKind),
    evaluators: createKindClient(kc, evaluatorKind),
    evaluations: createKindClient(kc, evaluationKind),
    executionEngines: createKindClient(kc, executionEngineKind),
    a2aServers: createKindClient(kc, a2aServerKind),
    referenceGrants: createKindClient(kc, referenceGrantKind),
    toolApprovalRequests: createKindClient(kc, toolApprovalRequestKind),
    a2aTasks: createKindClient(kc, a2aTaskKind),
  };
}

export type ArkClient = ReturnType<typeof createArkClient>;
