import type { z } from "zod";
import { arkApiConfig } from "../../services/ark-api/src/config.js";
import { arkApiA2aConfig } from "../../services/ark-api-a2a/src/config.js";
import { apiServerConfig } from "../../services/ark-apiserver/src/config.js";
import { controllerConfig } from "../../services/ark-controller/src/config.js";
import { arkMcpConfig } from "../../services/ark-mcp/src/config.js";
import { filesysConfig } from "../../services/filesys-mcp/src/config.js";
import { gatewayConfig } from "../../services/localhost-gateway/src/config.js";
import { memoryConfig } from "../../services/postgres-memory/src/config.js";
import { evaluatorConfig } from "../../services/evaluator-llm/src/config.js";
import { executorConfig } from "../../services/executor-langchain/src/config.js";
import { dashboardConfig } from "../../services/ark-dashboard/src/config.js";
import type { ServiceName } from "./ark-charts.js";

type EnvSchema = z.ZodObject<z.ZodRawShape>;

/** Each service's environment schema (its src/config.ts): what the chart's env must parse with. */
export const SERVICE_CONFIGS: Record<ServiceName, EnvSchema> = {
  "ark-api": arkApiConfig as unknown as EnvSchema,
  "ark-api-a2a": arkApiA2aConfig as unknown as EnvSchema,
  "ark-apiserver": apiServerConfig,
  "ark-controller": controllerConfig,
  "ark-mcp": arkMcpConfig,
  "filesys-mcp": filesysConfig,
  "localhost-gateway": gatewayConfig,
  "postgres-memory": memoryConfig,
  "evaluator-llm": evaluatorConfig,
  "executor-langchain": executorConfig,
  "ark-dashboard": dashboardConfig,
};
