import { createModelProvider, resolveModelConfig, type ModelProvider, type ProviderOptions } from "@ark/engine";
import type { Model } from "@ark/kube";
import type { ArkResources } from "../resources.js";

/** A Model resource → a provider, its Secrets and ConfigMaps read in the Model's namespace. */
export async function modelProvider(model: Model, resources: Pick<ArkResources, "resolveValueSource">, options?: ProviderOptions): Promise<ModelProvider> {
  const metadata = { namespace: model.metadata.namespace ?? "", name: model.metadata.name ?? "" };
  const config = await resolveModelConfig(metadata, model.spec, resources.resolveValueSource);
  return createModelProvider(config, options);
}
