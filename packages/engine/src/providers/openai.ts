import { EngineError } from "../errors.js";
import { mergeHeaders } from "../http/merge-headers.js";
import { sharedHttpPools } from "../http/pools.js";
import { DEFAULT_RETRY_POLICY } from "../http/retry.js";
import { chatCompletionsBody } from "./chat-completions/request-body.js";
import { type ChatCompletionsTarget, sendChatCompletions } from "./chat-completions/send.js";
import { describeModel, type ProviderOptions, type ResolvedModelConfig, trimTrailingSlashes } from "./config.js";
import type { ChatRequest, ChatResult, ModelProvider } from "./provider.js";

/** Any OpenAI-compatible server: `POST {baseUrl}/chat/completions` with a bearer key. */
export function createOpenAIProvider(config: ResolvedModelConfig, options: ProviderOptions = {}): ModelProvider {
  const base = trimTrailingSlashes(config.baseUrl);
  return createChatCompletionsProvider("openai", config, options, {
    url: parseUrl(`${base}/chat/completions`, config),
    endpoint: base,
    headers: { authorization: `Bearer ${config.apiKey}` },
  });
}

export function createChatCompletionsProvider(type: string, config: ResolvedModelConfig, options: ProviderOptions, wire: { url: URL; endpoint: string; headers: Record<string, string> }): ModelProvider {
  const description = describeModel(config, wire.endpoint);
  const target: ChatCompletionsTarget = {
    url: wire.url,
    headers: mergeHeaders(wire.headers, config.headers),
    description,
    pools: options.pools ?? sharedHttpPools,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    headersTimeoutMs: options.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
  };
  const properties = config.properties ?? {};
  return {
    type,
    model: config.model,
    description,
    chat(request: ChatRequest): Promise<ChatResult> {
      const body = chatCompletionsBody(config.model, properties, request, description);
      return sendChatCompletions(target, body, request);
    },
  };
}

export function parseUrl(url: string, config: ResolvedModelConfig): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http(s)");
    return parsed;
  } catch (cause) {
    const where = config.resource ? `model ${config.resource}` : `model "${config.model}"`;
    throw new EngineError("CONFIG_ERROR", `${where}: invalid baseUrl ${JSON.stringify(config.baseUrl)}`, { cause });
  }
}
