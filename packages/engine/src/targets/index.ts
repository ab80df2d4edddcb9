export type {
  ResourceResolver,
  Resource,
  ResourceMetadata,
  AgentResource,
  TeamResource,
  ModelResource,
  ToolResource,
  McpServerTarget,
  A2AServerTarget,
} from "./resolver.js";
export type { TargetEnvironment } from "./environment.js";
export type { TargetRequest, TargetAnswer, TargetRunner } from "./target-run.js";
export { runTarget, TARGET_RUNNERS, type TargetOutcome } from "./run-target.js";
export { runTargets, type QueryTargetsResult } from "./run-targets.js";
export { resolveQueryTargets } from "./select-targets.js";
export { loadAgent, DEFAULT_MODEL_NAME, type LoadedAgent } from "./load-agent.js";
export { loadTeam } from "./load-team.js";
export { buildTool } from "./build-tool.js";
export { buildAgentTools } from "./agent-tools.js";
export { modelProviderFor } from "./model-provider.js";
export { findTeamCycle } from "./team-cycle.js";
export { toolArguments } from "./tool-target.js";
