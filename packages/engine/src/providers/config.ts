import type { ModelCallLimiter, ModelLimits } from "./model-limits.js";
import type { HttpPools } from "../http/pools.js";
import type { RetryPolicy } from "../http/retry.js";
import type { ProviderFetch } from "./native/fetch.js";

/** A Model with every ValueSource already resolved (the caller reads Secrets and ConfigMaps). */
export interface ResolvedModelConfig {
  type: string;
  /** Model id, or the Azure deployment name. */
  model: string;
  baseUrl: string;
  apiKey: string;
  /** Azure only. */
  apiVersion?: string;
  /** Anthropic only: the anthropic-version header. */
  version?: string;
  /** Bedrock only; absent keys mean the AWS default credential chain. */
  bedrock?: BedrockSettings;
  /** The provider config's headers, resolved; sent on every call, after (and over) the provider's own. */
  headers?: Record<string, string>;
  /** Extra chat-completion parameters as strings; coerced per docs/upstream-compat.md §8.1. */
  properties?: Record<string, string>;
  /** The Model resource (`namespace/name`), used in error messages and to key its limits. */
  resource?: string;
  /** The Model's spec.limits, enforced across this process's queries (docs/upstream-compat.md §8.3). */
  limits?: ModelLimits;
}

export interface BedrockSettings {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  maxTokens?: number;
  temperature?: number;
}

export interface ProviderOptions {
  pools?: HttpPools;
  /** Every HTTP call of the native providers (anthropic, gemini, ollama, bedrock) goes through this; default: undici over `pools`. */
  fetch?: ProviderFetch;
  retry?: Partial<RetryPolicy>;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Where Models' spec.limits are counted; the process-wide one by default. */
  limiter?: ModelCallLimiter;
}

export function describeModel(config: ResolvedModelConfig, endpoint: string): string {
  const name = config.resource ? `model ${config.resource} (${config.model})` : `model "${config.model}"`;
  return `${name} at ${endpoint}`;
}

export function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, "");
}
