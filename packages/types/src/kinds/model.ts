import { z } from "zod";
import { childPath, invalid, required } from "../admission/field-errors.js";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { checkHeaders } from "../admission/headers.js";
import { checkValueSource } from "../admission/value-source.js";
import { Duration } from "../shared/duration.js";
import { Header } from "../shared/header.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { ValueSource } from "../shared/value-source.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const MODEL_PROVIDERS = ["openai", "azure", "bedrock", "anthropic", "gemini", "ollama"] as const;
export const ModelProviderName = z.enum(MODEL_PROVIDERS);
export type ModelProviderName = z.output<typeof ModelProviderName>;
/** Upstream's newer spec.type is the API capability (completions); a provider name there is the older form. */
export const ModelType = z.enum(["completions", ...MODEL_PROVIDERS]);
export type ModelType = z.output<typeof ModelType>;

const ModelProperties = z.record(z.string(), ValueSource).optional().describe("Extra chat-completion parameters (e.g. temperature), merged into every request.");

const ModelHeaders = z.array(Header).optional().describe("Sent on every call to the model (queries and probes); values, Secrets, ConfigMaps or the query's parameters.");

export const OpenAIModelConfig = z.object({
  baseUrl: ValueSource.describe("API base URL, e.g. https://api.openai.com/v1."),
  apiKey: ValueSource,
  headers: ModelHeaders,
  properties: ModelProperties,
});

export const AzureModelConfig = z.object({
  baseUrl: ValueSource.describe("Azure OpenAI resource endpoint."),
  apiKey: ValueSource,
  apiVersion: ValueSource.optional().describe("Sent as the api-version query parameter."),
  headers: ModelHeaders,
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
  headers: ModelHeaders,
  properties: ModelProperties,
});

export const AnthropicModelConfig = z.object({
  baseUrl: ValueSource.optional().describe("Defaults to https://api.anthropic.com."),
  apiKey: ValueSource,
  version: ValueSource.optional().describe("Sent as the anthropic-version header."),
  headers: ModelHeaders,
  properties: ModelProperties,
});

export const GeminiModelConfig = z.object({
  baseUrl: ValueSource.optional().describe("Defaults to the Gemini API endpoint."),
  apiKey: ValueSource,
  headers: ModelHeaders,
  properties: ModelProperties,
});

export const OllamaModelConfig = z.object({
  baseUrl: ValueSource.describe("Ollama server URL, e.g. http://localhost:11434."),
  headers: ModelHeaders,
  properties: ModelProperties,
});

export const ModelSpec = z.object({
  model: ValueSource.describe("Model or deployment id, e.g. gpt-4.1-mini."),
  type: ModelType.optional().describe("API capability: completions. A provider name (openai, azure, …) is the older form of spec.provider and still accepted."),
  provider: ModelProviderName.optional().describe("Provider client; the config sub-object of the same name is used. Required unless spec.type names a provider."),
  config: z
    .object({
      openai: OpenAIModelConfig.optional(),
      azure: AzureModelConfig.optional(),
      bedrock: BedrockModelConfig.optional(),
      anthropic: AnthropicModelConfig.optional(),
      gemini: GeminiModelConfig.optional(),
      ollama: OllamaModelConfig.optional(),
    })
    .describe("Provider configuration; only the sub-object matching the provider is used."),
  pollInterval: Duration.optional().describe("How often the model is probed; the controller's default when absent, 0 probes only on a change."),
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

/** The provider a Model uses: spec.provider, else the older spec.type naming one (docs/upstream-compat.md §8). */
export function modelProviderOf(spec: Pick<ModelSpec, "provider" | "type">): ModelProviderName | undefined {
  if (spec.provider) return spec.provider;
  return spec.type && spec.type !== "completions" ? spec.type : undefined;
}

function checkProvider(spec: ModelSpec): FieldError[] {
  if (spec.provider && spec.type && spec.type !== "completions" && spec.type !== spec.provider) {
    return [invalid("spec.type", spec.type, `spec.type '${spec.type}' names a different provider than spec.provider '${spec.provider}': use type 'completions'`)];
  }
  if (!modelProviderOf(spec)) return [required("spec.provider", "spec.provider is required (or the older spec.type naming a provider)")];
  return [];
}

function admitModel(spec: ModelSpec): FieldError[] {
  const errors = checkValueSource(spec.model, "spec.model", ["secretKeyRef", "configMapKeyRef"]);
  errors.push(...checkNonNegativeDuration(spec.pollInterval, "spec.pollInterval", "pollInterval"));
  const providerErrors = checkProvider(spec);
  if (providerErrors.length > 0) return [...errors, ...providerErrors];
  const provider = modelProviderOf(spec)!;
  const config = spec.config[provider];
  if (!config) return [...errors, required(`spec.config.${provider}`, `${provider} configuration is required for ${provider} model type`)];
  for (const [field, value] of Object.entries(config)) {
    const at = `spec.config.${provider}.${field}`;
    if (field === "headers") {
      errors.push(...checkHeaders(value as Header[], at));
    } else if (field === "properties") {
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
    { name: "Provider", type: "string", jsonPath: ".spec.provider" },
    AGE_COLUMN,
  ],
  admit: ({ spec }) => admitModel(spec),
};
