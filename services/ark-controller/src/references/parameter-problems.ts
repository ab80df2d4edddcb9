import { isEngineError, resolveParameters, type ConfigValueReader, type ParameterSpec } from "@ark/engine";
import { apiErrorMessage } from "@ark/kube";

/** Why parameters cannot be read (a missing ConfigMap, Secret or key), or undefined when they can. */
export async function parameterProblem(
  parameters: readonly ParameterSpec[] | undefined,
  namespace: string,
  configValues: ConfigValueReader,
  where: string,
): Promise<string | undefined> {
  if (!parameters?.length) return undefined;
  try {
    await resolveParameters(parameters, namespace, configValues);
    return undefined;
  } catch (error) {
    return `${where}: ${isEngineError(error) ? error.message : apiErrorMessage(error)}`;
  }
}
