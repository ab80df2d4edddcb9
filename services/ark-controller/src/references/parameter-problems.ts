import { isEngineError, resolveParameters, type ConfigValueReader, type ParameterSpec } from "@ark/engine";
import { apiErrorMessage } from "@ark/kube";

/**
 * Why parameters cannot be read (a missing ConfigMap, Secret or key, or a query parameter an Agent parameter's
 * queryParameterRef names that the query lacks), or undefined when they can.
 */
export async function parameterProblem(
  parameters: readonly ParameterSpec[] | undefined,
  namespace: string,
  configValues: ConfigValueReader,
  where: string,
  queryParameters?: Record<string, string>,
): Promise<string | undefined> {
  if (!parameters?.length) return undefined;
  try {
    await resolveParameters(parameters, namespace, configValues, queryParameters);
    return undefined;
  } catch (error) {
    return `${where}: ${isEngineError(error) ? error.message : apiErrorMessage(error)}`;
  }
}
