import { createModelProvider, isEngineError, resolveModelConfig, type ModelProvider } from "@ark/engine";
import { resolveValueSource } from "@ark/kube";
import type { EvaluatorDeps } from "../deps.js";
import { EvaluationFailure } from "../evaluations/failure.js";
import type { JudgeSettings } from "./settings.js";

/** The judge: the Model of `model.name` / `model.namespace` (or the namespace's `default`), its value sources resolved, through the engine's providers. */
export async function judgeProvider(deps: EvaluatorDeps, settings: JudgeSettings): Promise<ModelProvider> {
  const { namespace, name } = settings.model;
  const model = await deps.ark.models.get(namespace, name);
  if (!model) {
    throw new EvaluationFailure(
      name === "default" ? `judge model: no model.name parameter and no Model "default" in namespace ${namespace}` : `judge model: Model "${name}" not found in namespace ${namespace} (parameter model.name)`,
    );
  }
  try {
    const config = await resolveModelConfig({ namespace, name }, model.spec, (source, ns) => resolveValueSource(source, ns, deps.values));
    return createModelProvider(config, deps.providerOptions);
  } catch (err) {
    if (isEngineError(err)) throw new EvaluationFailure(`judge ${err.message}`, { cause: err });
    throw err;
  }
}
