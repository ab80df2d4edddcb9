import type { ModelSpec, ValueSource } from "@ark/types";
import { EngineError } from "../errors.js";
import type { ResolvedModelConfig } from "./config.js";

/** Resolves a ValueSource in the Model's namespace (packages/kube implements it: value, Secret, ConfigMap, Service). */
export type ValueSourceResolver = (source: ValueSource, namespace: string) => Promise<string>;

/** A Model resource → the provider config, every ValueSource read (in the Model's namespace). */
export async function resolveModelConfig(
  metadata: { namespace: string; name: string },
  spec: ModelSpec,
  resolve: ValueSourceResolver,
): Promise<ResolvedModelConfig> {
  const resource = `${metadata.namespace}/${metadata.name}`;
  const read = async (source: ValueSource, field: string): Promise<string> => {
    try {
      return await resolve(source, metadata.namespace);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new EngineError("CONFIG_ERROR", `model ${resource}: ${field}: ${reason}`, { cause });
    }
  };
  if (spec.type !== "openai" && spec.type !== "azure") {
    throw new EngineError("CONFIG_ERROR", `model ${resource}: unsupported model type "${spec.type}"`);
  }
  const config = spec.type === "openai" ? spec.config.openai : spec.config.azure;
  if (!config) throw new EngineError("CONFIG_ERROR", `model ${resource}: spec.config.${spec.type} is required`);
  const properties: Record<string, string> = {};
  for (const [key, source] of Object.entries(config.properties ?? {})) {
    properties[key] = await read(source, `spec.config.${spec.type}.properties.${key}`);
  }
  const resolved: ResolvedModelConfig = {
    type: spec.type,
    resource,
    model: await read(spec.model, "spec.model"),
    baseUrl: await read(config.baseUrl, `spec.config.${spec.type}.baseUrl`),
    apiKey: await read(config.apiKey, `spec.config.${spec.type}.apiKey`),
    properties,
  };
  if ("apiVersion" in config && config.apiVersion) {
    resolved.apiVersion = await read(config.apiVersion, "spec.config.azure.apiVersion");
  }
  return resolved;
}
