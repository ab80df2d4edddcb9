import { a2aServerKind } from "./a2a-server.js";
import { agentKind } from "./agent.js";
import type { KindDefinition } from "./definition.js";
import { evaluationKind } from "./evaluation.js";
import { evaluatorKind } from "./evaluator.js";
import { executionEngineKind } from "./execution-engine.js";
import { mcpServerKind } from "./mcp-server.js";
import { memoryKind } from "./memory.js";
import { modelKind } from "./model.js";
import { queryKind } from "./query.js";
import { referenceGrantKind } from "./reference-grant.js";
import { teamKind } from "./team.js";
import { toolKind } from "./tool.js";
import { toolApprovalRequestKind } from "./tool-approval-request.js";
import { a2aTaskKind } from "./a2a-task.js";

export * from "./definition.js";
export * from "./common.js";
export * from "./address-status.js";
export * from "./model.js";
export * from "./agent.js";
export * from "./team.js";
export * from "./query.js";
export * from "./tool.js";
export * from "./mcp-server.js";
export * from "./memory.js";
export * from "./evaluator.js";
export * from "./evaluation.js";
export * from "./execution-engine.js";
export * from "./a2a-server.js";
export * from "./reference-grant.js";
export * from "./tool-approval.js";
export * from "./tool-approval-request.js";
export * from "./a2a-task.js";
export * from "./status-contract.js";

export const arkKinds: readonly KindDefinition[] = [
  modelKind,
  agentKind,
  teamKind,
  queryKind,
  toolKind,
  mcpServerKind,
  memoryKind,
  evaluatorKind,
  evaluationKind,
  executionEngineKind,
  a2aServerKind,
  referenceGrantKind,
  toolApprovalRequestKind,
  a2aTaskKind,
];

export function findKindByPlural(group: string, version: string, plural: string): KindDefinition | undefined {
  return arkKinds.find((k) => k.group === group && k.version === version && k.plural === plural);
}

/** The kind named by an object's apiVersion (`ark.mckinsey.com/v1alpha1`) and kind. */
export function findKind(apiVersion: string, kind: string): KindDefinition | undefined {
  return arkKinds.find((k) => `${k.group}/${k.version}` === apiVersion && k.kind === kind);
}
