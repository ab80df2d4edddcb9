import { a2aTaskKind, evaluationKind, evaluatorKind, executionEngineKind, referenceGrantKind } from "@ark/types";
import { a2aServerDto } from "./a2a-server.js";
import { agentDto } from "./agent.js";
import type { KindDto } from "./kind-dto.js";
import { mcpServerDto } from "./mcp-server.js";
import { memoryDto } from "./memory.js";
import { modelDto } from "./model.js";
import { queryDto } from "./query.js";
import { teamDto } from "./team.js";
import { toolDto } from "./tool.js";
import { wrappedDto } from "./wrapped-dto.js";

export type { KindDto, AnyArkObject } from "./kind-dto.js";
export { queryDto } from "./query.js";

/** Every ARK kind on the REST API, by URL segment (upstream's: mcp-servers, a2a-servers, …). */
export const kindDtos: Record<string, KindDto> = {
  agents: agentDto,
  models: modelDto,
  teams: teamDto,
  queries: queryDto,
  tools: toolDto,
  "mcp-servers": mcpServerDto,
  "a2a-servers": a2aServerDto,
  memories: memoryDto,
  evaluators: wrappedDto(evaluatorKind),
  evaluations: wrappedDto(evaluationKind),
  "execution-engines": wrappedDto(executionEngineKind),
  "reference-grants": wrappedDto(referenceGrantKind),
  "a2a-tasks": wrappedDto(a2aTaskKind),
};
