import { ClassifiedError, classifyError, type Parameter } from "@ark/types";
import { EngineError } from "../errors.js";

/** An Agent or Query parameter (docs/upstream-compat.md §1.3); `name` of a key ref may be absent before zod defaults apply. */
export type ParameterSpec = Omit<Parameter, "valueFrom"> & {
  valueFrom?: {
    secretKeyRef?: { name?: string; key: string };
    configMapKeyRef?: { name?: string; key: string };
    serviceRef?: unknown;
    queryParameterRef?: { name: string };
  };
};

/** Reads Secret and ConfigMap values; `undefined` when the key is absent, throws when the object cannot be read. */
export interface ConfigValueReader {
  getSecretValue(namespace: string, name: string, key: string): Promise<string | undefined>;
  getConfigMapValue(namespace: string, name: string, key: string): Promise<string | undefined>;
}

/**
 * Agent/Query parameters → template data, read from the resource's own namespace; an Agent parameter's
 * `valueFrom.queryParameterRef` reads `queryParameters`, the running query's (docs/upstream-compat.md §1.3).
 */
export async function resolveParameters(
  parameters: readonly ParameterSpec[] | undefined,
  namespace: string,
  reader: ConfigValueReader,
  queryParameters?: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const parameter of parameters ?? []) {
    values[parameter.name] = await resolveParameter(parameter, namespace, reader, queryParameters);
  }
  return values;
}

async function resolveParameter(parameter: ParameterSpec, namespace: string, reader: ConfigValueReader, queryParameters: Readonly<Record<string, string>> | undefined): Promise<string> {
  // Upstream checks `value != ""`: an explicit empty value counts as no value.
  if (parameter.value) return parameter.value;
  const fail = (message: string, cause?: unknown): EngineError => new EngineError("PARAMETER_ERROR", `parameter ${parameter.name}: ${message}`, { cause });
  const from = parameter.valueFrom;
  if (!from) {
    throw new EngineError("PARAMETER_ERROR", `parameter ${parameter.name} must specify either value or valueFrom`);
  }
  const queryParameter = from.queryParameterRef?.name;
  if (queryParameter !== undefined) {
    // As upstream: the query must have the parameter, with a value.
    const found = queryParameters?.[queryParameter];
    if (found === undefined) throw fail(`query parameter '${queryParameter}' not found`);
    if (found === "") throw fail(`query parameter '${queryParameter}' has no value`);
    return found;
  }
  const ref = from.secretKeyRef ?? from.configMapKeyRef;
  if (!ref) throw fail("no supported valueFrom source specified");
  const kind = from.secretKeyRef ? "secret" : "configmap";
  if (!ref.name) throw fail(`${kind} name is required`);
  let value: string | undefined;
  try {
    value = kind === "secret" ? await reader.getSecretValue(namespace, ref.name, ref.key) : await reader.getConfigMapValue(namespace, ref.name, ref.key);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { origin, code, retryable } = classifyError(error);
    // A lost connection is not the parameter's fault: it keeps its classification, so the run is retried.
    if (origin !== "user") throw new ClassifiedError(origin, code, `parameter ${parameter.name}: ${message}`, { cause: error, retryable });
    throw fail(message, error);
  }
  if (value === undefined) throw fail(`key ${ref.key} not found in ${kind} ${namespace}/${ref.name}`);
  return value;
}
