import { isEngineError, resolveModelConfig, type ValueSourceResolver } from "@ark/engine";
import { apiErrorMessage, type Model } from "@ark/kube";

/** Why a Model's config does not resolve (a missing Secret or key), or undefined when it does. */
export async function modelConfigProblem(model: Model, resolveValueSource: ValueSourceResolver): Promise<string | undefined> {
  try {
    await resolveModelConfig({ namespace: model.metadata.namespace ?? "", name: model.metadata.name ?? "" }, model.spec, resolveValueSource);
    return undefined;
  } catch (error) {
    return isEngineError(error) ? error.message : apiErrorMessage(error);
  }
}
