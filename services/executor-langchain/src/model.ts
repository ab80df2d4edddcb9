import { coerceProperties } from "@ark/engine";
import { ClassifiedError, type EngineModel } from "@ark/types";
import { ChatOpenAI, type ChatOpenAIFields } from "@langchain/openai";

/** Chat-completion properties ChatOpenAI has fields for; every other property goes in `modelKwargs`. */
const FIELDS: Record<string, keyof ChatOpenAIFields> = {
  temperature: "temperature",
  max_tokens: "maxTokens",
  max_completion_tokens: "maxCompletionTokens",
  top_p: "topP",
  frequency_penalty: "frequencyPenalty",
  presence_penalty: "presencePenalty",
  n: "n",
  stop: "stop",
  logprobs: "logprobs",
  top_logprobs: "topLogprobs",
  service_tier: "service_tier",
  user: "user",
};

const DEFAULT_GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai";
const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";
const DEFAULT_OLLAMA_BASE_URL = "http://localhost:11434";

/**
 * The request's model → a LangChain ChatOpenAI: openai and azure natively, ollama, gemini and anthropic through
 * their OpenAI-compatible endpoints. The Model's properties (temperature, max_tokens…) become ChatOpenAI fields.
 */
export function chatModel(model: EngineModel, options: { outputSchema?: Record<string, unknown> | undefined; agent: string }): ChatOpenAI {
  const config = (model.config[model.type] ?? {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof config[key] === "string" ? (config[key] as string) : "");
  // Not `streaming: true`: its invoke path estimates tokens with tiktoken, which downloads its encodings. The graph
  // streams anyway (stream mode "messages"), and streamUsage asks for the provider's own counts.
  const fields: ChatOpenAIFields = { model: model.name, streamUsage: true, maxRetries: 1 };
  const apiKey = text("apiKey") || "none";
  const baseUrl = text("baseUrl").replace(/\/+$/, "");
  switch (model.type) {
    case "openai":
      fields.apiKey = apiKey;
      if (baseUrl) fields.configuration = { baseURL: baseUrl };
      break;
    case "azure":
      if (!baseUrl) throw new ClassifiedError("user", "UNSUPPORTED_MODEL", `model ${model.name}: config.azure.baseUrl is required`);
      fields.apiKey = apiKey;
      fields.configuration = {
        baseURL: `${baseUrl}/openai/deployments/${encodeURIComponent(model.name)}`,
        defaultQuery: { "api-version": text("apiVersion") || "2024-12-01-preview" },
        defaultHeaders: { "api-key": apiKey },
      };
      break;
    case "ollama":
      fields.apiKey = apiKey;
      fields.configuration = { baseURL: `${(baseUrl || DEFAULT_OLLAMA_BASE_URL).replace(/\/v1$/, "")}/v1` };
      break;
    case "gemini":
      fields.apiKey = apiKey;
      fields.configuration = { baseURL: baseUrl || DEFAULT_GEMINI_BASE_URL };
      break;
    case "anthropic":
      fields.apiKey = apiKey;
      fields.configuration = { baseURL: baseUrl ? `${baseUrl.replace(/\/v1$/, "")}/v1` : DEFAULT_ANTHROPIC_BASE_URL };
      break;
    default:
      throw new ClassifiedError("user", "UNSUPPORTED_MODEL", `model type ${model.type} is not supported by executor-langchain (openai, azure, ollama, gemini, anthropic)`);
  }
  const properties = coerceProperties(stringRecord(config["properties"]), `model ${model.name}`);
  const modelKwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    const field = FIELDS[key];
    if (field) (fields as Record<string, unknown>)[field] = key === "stop" && typeof value === "string" ? [value] : value;
    else modelKwargs[key] = value;
  }
  if (options.outputSchema) {
    modelKwargs["response_format"] = { type: "json_schema", json_schema: { name: schemaName(options.agent), schema: options.outputSchema, strict: false } };
  }
  if (Object.keys(modelKwargs).length > 0) fields.modelKwargs = modelKwargs;
  // The Model's spec headers (docs/upstream-compat.md §8.2.1) go on every call, over the client's own.
  const headers = stringRecord(config["headers"]);
  if (Object.keys(headers).length > 0) fields.configuration = { ...fields.configuration, defaultHeaders: { ...fields.configuration?.defaultHeaders, ...headers } };
  return new ChatOpenAI(fields);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function schemaName(agent: string): string {
  return `${agent.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 50)}_output`;
}
