import { createModelProvider } from "../providers/index.js";
import { resolveModelConfig } from "../providers/model-config.js";
import type { ModelProvider } from "../providers/provider.js";
import { withOverrideHeaders } from "./overrides.js";
import type { TargetEnvironment } from "./environment.js";
import type { ModelResource } from "./resolver.js";

/**
 * A Model → its provider: the resolver's own `buildProvider` when it has one, else value sources read through it, with
 * the run's overrides that select the Model on top of its headers.
 */
export async function modelProviderFor(model: ModelResource, env: TargetEnvironment): Promise<ModelProvider> {
  if (env.resolver.buildProvider) return env.resolver.buildProvider(model);
  const metadata = { namespace: model.metadata.namespace ?? "", name: model.metadata.name ?? "" };
  // Every environment here runs a query: a header's queryParameterRef must name one of its parameters.
  const context = { queryParameters: env.queryParameters ?? {} };
  const config = await resolveModelConfig(metadata, model.spec, env.resolver.resolveValue, context);
  const headers = withOverrideHeaders(config.headers, env.overrides, "model", model.metadata.labels);
  return createModelProvider({ ...config, ...(headers ? { headers } : {}) }, env.providerOptions);
}
