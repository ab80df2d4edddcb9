import { type Header, type ModelSpec, modelProviderOf, type ValueSource } from "@ark/types";
import { EngineError } from "../errors.js";
import { resolveHeaderValues } from "../http/header-values.js";
import type { ResolvedModelConfig } from "./config.js";

/** Resolves a ValueSource in the Model's namespace (packages/kube implements it: value, Secret, ConfigMap, Service). */
export type ValueSourceResolver = (source: ValueSource, namespace: string) => Promise<string>;

const SUPPORTED = new Set(["openai", "azure", "anthropic", "gemini", "ollama", "bedrock"]);

export interface ModelConfigContext {
  /** The running query's parameters, for headers with valueFrom.queryParameterRef; absent (a probe): such headers are left out. */
  queryParameters?: Record<string, string>;
}

/** A Model resource → the provider config, every ValueSource read (in the Model's namespace). */
export async function resolveModelConfig(metadata: { namespace: string; name: string }, spec: ModelSpec, resolve: ValueSourceResolver, context: ModelConfigContext = {}): Promise<ResolvedModelConfig> {
  const resource = `${metadata.namespace}/${metadata.name}`;
  const read = async (source: ValueSource, field: string): Promise<string> => {
    try {
      return await resolve(source, metadata.namespace);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new EngineError("CONFIG_ERROR", `model ${resource}: ${field}: ${reason}`, { cause });
    }
  };
  const provider = modelProviderOf(spec);
  if (!provider) throw new EngineError("CONFIG_ERROR", `model ${resource}: spec.provider is required`);
  if (!SUPPORTED.has(provider)) throw new EngineError("CONFIG_ERROR", `model ${resource}: unsupported model type "${provider}"`);
  const config = spec.config[provider] as Record<string, unknown> | undefined;
  if (!config) throw new EngineError("CONFIG_ERROR", `model ${resource}: spec.config.${provider} is required`);
  const at = `spec.config.${provider}`;
  const optional = async (field: string): Promise<string | undefined> => {
    const source = config[field] as ValueSource | undefined;
    return source ? read(source, `${at}.${field}`) : undefined;
  };
  const properties: Record<string, string> = {};
  for (const [key, source] of Object.entries((config["properties"] ?? {}) as Record<string, ValueSource>)) {
    properties[key] = await read(source, `${at}.properties.${key}`);
  }
  const headers = await resolveHeaderValues(config["headers"] as Header[] | undefined, `model ${resource}: ${at}.headers`, {
    read: (source) => resolve(source, metadata.namespace),
    queryParameters: context.queryParameters,
  });
  const resolved: ResolvedModelConfig = {
    type: provider,
    resource,
    model: await read(spec.model, "spec.model"),
    baseUrl: (await optional("baseUrl")) ?? "",
    apiKey: (await optional("apiKey")) ?? "",
    properties,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(spec.limits ? { limits: spec.limits } : {}),
  };
  if (provider === "azure") {
    const apiVersion = await optional("apiVersion");
    if (apiVersion) resolved.apiVersion = apiVersion;
  }
  if (provider === "anthropic") {
    const version = await optional("version");
    if (version) resolved.version = version;
  }
  if (provider === "bedrock" && spec.config.bedrock) {
    const bedrock = spec.config.bedrock;
    const modelArn = await optional("modelArn");
    if (modelArn) resolved.model = modelArn;
    resolved.bedrock = {};
    for (const field of ["region", "accessKeyId", "secretAccessKey", "sessionToken"] as const) {
      const value = await optional(field);
      if (value) resolved.bedrock[field] = value;
    }
    if (bedrock.maxTokens !== undefined) resolved.bedrock.maxTokens = bedrock.maxTokens;
    if (bedrock.temperature !== undefined) resolved.bedrock.temperature = Number(bedrock.temperature);
  }
  return resolved;
}
