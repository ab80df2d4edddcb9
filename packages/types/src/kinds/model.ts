import { z } from "zod";
import { childPath, required } from "../admission/field-errors.js";
import { checkValueSource } from "../admission/value-source.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { ValueSource } from "../shared/value-source.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const ModelType = z.enum(["openai", "azure", "bedrock", "anthropic", "gemini", "ollama"]);
export type ModelType = z.output<typeof ModelType>;

const ModelProperties = z
  .record(z.string(), ValueSource)
  .optional()
  .describe("Extra chat-completion parameters (e.g. temperature), merged into every request.");

export const OpenAIModelConfig = z.object({
  baseUrl: ValueSource.describe("API base URL, e.g. https://api.openai.com/v1."),
  apiKey: ValueSource,
  properties: ModelProperties,
});

export const AzureModelConfig = z.object({
  baseUrl: ValueSource.describe("Azure OpenAI resource endpoint."),
  apiKey: ValueSource,
  apiVersion: ValueSource.optional().describe("Sent as the api-version query parameter."),
  properties: ModelProperties,
});

export const BedrockModelConfig = z.object({
  baseUrl: ValueSource.optional().describe("Endpoint override (a VPC endpoint or a gateway); defaults to the region's bedrock-runtime endpoint."),
  region: ValueSource.optional(),
  accessKeyId: ValueSource.optional().describe("Static credentials; the AWS default chain is used when absent."),
  secretAccessKey: ValueSource.optional(),
  sessionToken: ValueSource.optional(),
  modelArn: ValueSource.optional().describe("Used as the model id instead of spec.model when set."),
  maxTokens: z.int().min(1).max(100000).optional(),
  temperature: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/)
    .optional()
    .describe("Decimal between 0 and 1, as a string."),
  properties: ModelProperties,
});

export const AnthropicModelConfig = z.object({
  baseUrl: ValueSource.optional().describe("Defaults to https://api.anthropic.com."),
  apiKey: ValueSource,
  version: ValueSource.optional().describe("Sent as the anthropic-version header."),
  properties: ModelProperties,
});

export const GeminiModelConfig = z.object({
  baseUrl: ValueSource.optional().describe("Defaults to the Gemini API endpoint."),
  apiKey: ValueSource,
  properties: ModelProperties,
});

export const OllamaModelConfig = z.object({
  baseUrl: ValueSource.describe("Ollama server URL, e.g. http://localhost:11434."),
  properties: ModelProperties,
});

export const ModelSpec = z.object({
  model: ValueSource.describe("Model or deployment id, e.g. gpt-4.1-mini."),
  type: ModelType.describe("Provider; the config sub-object of the same name is used."),
  config: z
    .object({
      openai: OpenAIModelConfig.optional(),
      azure: AzureModelConfig.optional(),
      bedrock: BedrockModelConfig.optional(),
      anthropic: AnthropicModelConfig.optional(),
      gemini: GeminiModelConfig.optional(),
      ollama: OllamaModelConfig.optional(),
    })
    .describe("Provider configuration; only the sub-object matching spec.type is used."),
  limits: z
    .object({
      concurrentCalls: z.number().int().min(1).optional().describe("Calls to this model in flight at once, per worker process; more wait (their wait counts against the query's timeout)."),
      requestsPerMinute: z.number().int().min(1).optional().describe("Calls started in any 60 seconds, per worker process; more wait."),
    })
    .optional()
    .describe("ARK addition: limits on the calls a worker makes to this model (docs/upstream-compat.md §8.3)."),
});
export type ModelSpec = z.output<typeof ModelSpec>;

export const ModelStatus = z.object({
  phase: z.enum(["running", "ready", "error"]).optional(),
  message: z.string().optional(),
  resolvedAddress: z.string().optional(),
  ...reconcileStatusShape,
});
export type ModelStatus = z.output<typeof ModelStatus>;

function admitModel(spec: ModelSpec): FieldError[] {
  const errors = checkValueSource(spec.model, "spec.model", ["secretKeyRef", "configMapKeyRef"]);
  const config = spec.config[spec.type];
  if (!config) return [...errors, required(`spec.config.${spec.type}`, `${spec.type} configuration is required for ${spec.type} model type`)];
  for (const [field, value] of Object.entries(config)) {
    const at = `spec.config.${spec.type}.${field}`;
    if (field === "properties") {
      for (const [name, vs] of Object.entries(value as Record<string, ValueSource>)) errors.push(...checkValueSource(vs, childPath(`${at}`, name)));
    } else if (typeof value === "object" && value !== null) {
      errors.push(...checkValueSource(value as ValueSource, at));
    }
  }
  return errors;
}

export const modelKind: KindDefinition<typeof ModelSpec, typeof ModelStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Model",
  listKind: "ModelList",
  plural: "models",
  singular: "model",
  spec: ModelSpec,
  status: ModelStatus,
  printerColumns: [
    { name: "Model", type: "string", jsonPath: ".spec.model.value" },
    PHASE_COLUMN,
    { name: "Type", type: "string", jsonPath: ".spec.type" },
    AGE_COLUMN,
  ],
  admit: ({ spec }) => admitModel(spec),
};
