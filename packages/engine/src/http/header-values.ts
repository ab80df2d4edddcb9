import type { Header, ValueSource } from "@ark/types";
import { EngineError } from "../errors.js";

export interface HeaderValueContext {
  /** Reads a Secret or ConfigMap ValueSource; its errors are reported as thrown. */
  read(source: ValueSource): Promise<string>;
  /** The running query's parameters (valueFrom.queryParameterRef); absent (a probe): such headers are left out. */
  queryParameters?: Record<string, string> | undefined;
}

/**
 * Configured headers → name/value, in order (a later name wins): a literal value, a Secret or ConfigMap key, or the
 * query parameter named (docs/upstream-compat.md §1.5). An error names `at[i] (Name)`.
 */
export async function resolveHeaderValues(headers: readonly Header[] | undefined, at: string, context: HeaderValueContext): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const [index, header] of (headers ?? []).entries()) {
    const where = `${at}[${index}] (${header.name})`;
    const { value, valueFrom } = header.value;
    if (value) {
      resolved[header.name] = value;
      continue;
    }
    const parameter = valueFrom?.queryParameterRef?.name;
    if (parameter !== undefined) {
      if (!context.queryParameters) continue;
      const found = context.queryParameters[parameter];
      if (found === undefined) throw new EngineError("CONFIG_ERROR", `${where}: query parameter "${parameter}" not found in the query's spec.parameters`);
      resolved[header.name] = found;
      continue;
    }
    const source: ValueSource | undefined = valueFrom?.secretKeyRef
      ? { valueFrom: { secretKeyRef: valueFrom.secretKeyRef } }
      : valueFrom?.configMapKeyRef
        ? { valueFrom: { configMapKeyRef: valueFrom.configMapKeyRef } }
        : undefined;
    if (!source) throw new EngineError("CONFIG_ERROR", `${where}: header value must specify either value or valueFrom`);
    try {
      resolved[header.name] = await context.read(source);
    } catch (cause) {
      if (cause instanceof EngineError) throw cause;
      throw new EngineError("CONFIG_ERROR", `${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }
  return resolved;
}
