import type { Parameter } from "@ark/types";
import { EngineError } from "../errors.js";

/** An Agent or Query parameter (docs/upstream-compat.md §1.3); `name` of a key ref may be absent before zod defaults apply. */
export type ParameterSpec = Omit<Parameter, "valueFrom"> & {
  valueFrom?: {
    secretKeyRef?: { name?: string; key: string };
    configMapKeyRef?: { name?: string; key: string };
    serviceRef?: unknown;
  };
};

/** Reads Secret and ConfigMap values; `undefined` when the key is absent, throws when the object cannot be read. */
export interface ConfigValueReader {
  getSecretValue(namespace: string, name: string, key: string): Promise<string | undefined>;
  getConfigMapValue(namespace: string, name: string, key: string): Promise<string | undefined>;
}

/** Agent/Query parameters → template data, read from the resource's own namespace. */
export async function resolveParameters(
  parameters: readonly ParameterSpec[] | undefined,
  namespace: string,
  reader: ConfigValueReader,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const parameter of parameters ?? []) {
    values[parameter.name] = await resolveParameter(parameter, namespace, reader);
  }
  return values;
}

async function resolveParameter(parameter: ParameterSpec, namespace: string, reader: ConfigValueReader): Promise<string> {
  // Upstream checks `value != ""`: an explicit empty value counts as no value.
  if (parameter.value) return parameter.value;
  const fail = (message: string, cause?: unknown): EngineError =>
    new EngineError("PARAMETER_ERROR", `parameter ${parameter.name}: ${message}`, { cause });
  const from = parameter.valueFrom;
  if (!from) {
    throw new EngineError("PARAMETER_ERROR", `parameter ${parameter.name} must specify either value or valueFrom`);
  }
  const ref = from.secretKeyRef ?? from.configMapKeyRef;
  if (!ref) throw fail("no supported valueFrom source specified");
  const kind = from.secretKeyRef ? "secret" : "configmap";
  if (!ref.name) throw fail(`${kind} name is required`);
  let value: string | undefined;
  try {
    value =
      kind === "secret"
        ? await reader.getSecretValue(namespace, ref.name, ref.key)
        : await reader.getConfigMapValue(namespace, ref.name, ref.key);
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error);
  }
  if (value === undefined) throw fail(`key ${ref.key} not found in ${kind} ${namespace}/${ref.name}`);
  return value;
}
