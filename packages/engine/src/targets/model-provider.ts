import { createModelProvider } from "../providers/index.js";
import { resolveModelConfig } from "../providers/model-config.js";
import type { ModelProvider } from "../providers/provider.js";
import type { TargetEnvironment } from "./environment.js";
import type { ModelResource } from "./resolver.js";

/** A Model → its provider: the resolver's own `buildProvider` when it has one, else value sources read through it. */
export async function modelProviderFor(model: ModelResource, env: TargetEnvironment): Promise<ModelProvider> {
  if (env.resolver.buildProvider) return env.resolver.buildProvider(model);
  const metadata = { namespace: model.metadata.namespace ?? "", name: model.metadata.name ?? "" };
  return createModelProvider(await resolveModelConfig(metadata, model.spec, env.resolver.resolveValue), env.providerOptions);
}
