import { EngineError } from "../errors.js";
import { createAnthropicProvider } from "./anthropic.js";
import { createAzureProvider } from "./azure.js";
import { createBedrockProvider } from "./bedrock.js";
import type { ProviderOptions, ResolvedModelConfig } from "./config.js";
import { createGeminiProvider } from "./gemini.js";
import { processModelLimiter } from "./model-limits.js";
import { createOllamaProvider } from "./ollama.js";
import { createOpenAIProvider } from "./openai.js";
import type { ModelProvider } from "./provider.js";

export type ProviderFactory = (config: ResolvedModelConfig, options?: ProviderOptions) => ModelProvider;

/** Model `spec.type` → provider. */
export const PROVIDER_FACTORIES: Readonly<Record<string, ProviderFactory>> = {
  openai: createOpenAIProvider,
  azure: createAzureProvider,
  anthropic: createAnthropicProvider,
  bedrock: createBedrockProvider,
  gemini: createGeminiProvider,
  ollama: createOllamaProvider,
};

export function createModelProvider(config: ResolvedModelConfig, options?: ProviderOptions): ModelProvider {
  const factory = PROVIDER_FACTORIES[config.type];
  if (!factory) {
    const where = config.resource ? `model ${config.resource}` : `model "${config.model}"`;
    throw new EngineError("CONFIG_ERROR", `${where}: unsupported model type "${config.type}"`);
  }
  const provider = factory(config, options);
  return config.resource && config.limits ? (options?.limiter ?? processModelLimiter).limit(provider, config.resource, config.limits) : provider;
}
