import { EngineError, isEngineError, renderWithParameters, resolveParameters } from "@ark/engine";
import type { Query } from "@ark/kube";
import type { ArkResources } from "../resources.js";

/**
 * spec.input with spec.parameters applied (read from the query's namespace); verbatim without parameters. The
 * parameters come back too: partial tool parameters render over them (docs/upstream-compat.md §7.2).
 */
export async function queryInput(
  query: Query,
  resources: Pick<ArkResources, "configValues">,
): Promise<{ input: string; parameters?: Record<string, string> }> {
  const namespace = query.metadata.namespace ?? "";
  const where = `query ${namespace}/${query.metadata.name ?? ""}`;
  try {
    const parameters = query.spec.parameters?.length
      ? await resolveParameters(query.spec.parameters, namespace, resources.configValues)
      : undefined;
    return { input: renderWithParameters(query.spec.input, parameters, "spec.input"), ...(parameters ? { parameters } : {}) };
  } catch (error) {
    if (!isEngineError(error)) throw error;
    throw new EngineError(error.code, `${where}: ${error.message}`, { cause: error });
  }
}
