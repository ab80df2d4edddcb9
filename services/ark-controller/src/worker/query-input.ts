import { EngineError, isEngineError, renderWithParameters, resolveOverrides, resolveParameters, splitQueryMessages, type ChatMessage, type HeaderOverride } from "@ark/engine";
import type { Query } from "@ark/kube";
import type { ArkResources } from "../resources.js";

/**
 * spec.input with spec.parameters applied (read from the query's namespace); verbatim without parameters. The
 * parameters come back too: partial tool parameters render over them (docs/upstream-compat.md §7.2). A `type: messages`
 * input is used as written, its last message the input and the ones before it `priorMessages` (docs/upstream-compat.md §6.2).
 */
export async function queryInput(query: Query, resources: Pick<ArkResources, "configValues">): Promise<{ input: string; parameters?: Record<string, string>; priorMessages?: ChatMessage[] }> {
  const namespace = query.metadata.namespace ?? "";
  const where = `query ${namespace}/${query.metadata.name ?? ""}`;
  try {
    const parameters = query.spec.parameters?.length ? await resolveParameters(query.spec.parameters, namespace, resources.configValues) : undefined;
    const given = query.spec.input;
    if (query.spec.type === "messages") {
      // Admission checked it; a Query that skipped admission (a CRD without the webhook) still fails clearly.
      if (!Array.isArray(given) || given.length === 0) throw new EngineError("CONFIG_ERROR", "spec.input: with type messages, input must be an array of messages");
      const { input, prior } = splitQueryMessages(given);
      return { input, ...(prior.length ? { priorMessages: prior } : {}), ...(parameters ? { parameters } : {}) };
    }
    if (typeof given !== "string") throw new EngineError("CONFIG_ERROR", "spec.input: input must be a string (a message array needs spec.type: messages)");
    return { input: renderWithParameters(given, parameters, "spec.input"), ...(parameters ? { parameters } : {}) };
  } catch (error) {
    if (!isEngineError(error)) throw error;
    throw new EngineError(error.code, `${where}: ${error.message}`, { cause: error });
  }
}

/** spec.overrides with their header values read in the query's namespace and from its parameters (docs/upstream-compat.md §6.9). */
export async function queryOverrides(query: Query, resources: Pick<ArkResources, "resolveValueSource">, queryParameters: Record<string, string> | undefined): Promise<HeaderOverride[] | undefined> {
  if (!query.spec.overrides?.length) return undefined;
  const namespace = query.metadata.namespace ?? "";
  return resolveOverrides(query.spec.overrides, `query ${namespace}/${query.metadata.name ?? ""}: spec.overrides`, {
    read: (source) => resources.resolveValueSource(source, namespace),
    queryParameters: queryParameters ?? {},
  });
}
