import { type ProviderOptions, type ResolvedModelConfig, trimTrailingSlashes } from "./config.js";
import { createChatCompletionsProvider, parseUrl } from "./openai.js";
import type { ModelProvider } from "./provider.js";

/** Used when a Model gives no apiVersion (upstream sends an empty one, which Azure rejects). */
export const DEFAULT_AZURE_API_VERSION = "2024-10-21";

/** Azure OpenAI: `POST {baseUrl}/openai/deployments/{model}/chat/completions?api-version=…` with an `api-key` header. */
export function createAzureProvider(config: ResolvedModelConfig, options: ProviderOptions = {}): ModelProvider {
  const base = trimTrailingSlashes(config.baseUrl);
  const deployment = `${base}/openai/deployments/${encodeURIComponent(config.model)}`;
  const url = parseUrl(`${deployment}/chat/completions`, config);
  url.searchParams.set("api-version", config.apiVersion || DEFAULT_AZURE_API_VERSION);
  return createChatCompletionsProvider("azure", config, options, {
    url,
    endpoint: deployment,
    // Upstream sends both, so proxies in front of Azure that expect either keep working.
    headers: { "api-key": config.apiKey, authorization: `Bearer ${config.apiKey}` },
  });
}
