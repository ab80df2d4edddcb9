import type { ValueSourceResolver } from "@ark/engine";
import type { EvaluatorParameters, Parameter } from "@ark/types";

interface Owned {
  parameters: readonly Parameter[] | undefined;
  /** Where the parameters' valueFrom is read. */
  namespace: string;
}

/**
 * The parameters an evaluator receives (docs/upstream-compat.md §10.4): the Evaluator's own, overridden by name by
 * the Evaluation's (or nothing more, for a Query's evaluators), each resolved to a string (valueFrom too — upstream
 * dropped the Evaluator's valueFrom), and `model.namespace` defaulting to `defaultNamespace`. A value that does
 * not resolve throws, naming the parameter.
 */
export async function evaluatorParameters(resolve: ValueSourceResolver, evaluator: Owned, overrides: Owned | undefined, defaultNamespace: string): Promise<EvaluatorParameters> {
  const merged = new Map<string, { parameter: Parameter; namespace: string }>();
  for (const parameter of evaluator.parameters ?? []) merged.set(parameter.name, { parameter, namespace: evaluator.namespace });
  for (const parameter of overrides?.parameters ?? []) merged.set(parameter.name, { parameter, namespace: overrides?.namespace ?? defaultNamespace });
  const out: EvaluatorParameters = {};
  for (const [name, { parameter, namespace }] of merged) {
    if (parameter.value !== undefined) {
      out[name] = parameter.value;
      continue;
    }
    if (!parameter.valueFrom) continue;
    try {
      out[name] = await resolve({ valueFrom: parameter.valueFrom }, namespace);
    } catch (error) {
      throw new Error(`parameter ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!out["model.namespace"]) out["model.namespace"] = defaultNamespace;
  return out;
}
