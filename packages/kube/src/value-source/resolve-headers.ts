import type { Header } from "@ark/types";
import type { ValueSourceReader } from "./reader.js";
import { resolveConfigMapKey, resolveSecretKey } from "./resolve-value-source.js";
import { ValueSourceError } from "./value-source-error.js";

export interface ResolveHeadersOptions {
  /** The running query's parameters, for valueFrom.queryParameterRef; absent (a discovery, a probe): such headers are left out. */
  queryParameters?: Record<string, string>;
}

/**
 * docs/upstream-compat.md §1.5: each header's value, or its secretKeyRef / configMapKeyRef read in `namespace`, or the
 * query parameter it names; in order, later names win.
 */
export async function resolveHeaders(headers: readonly Header[] | undefined, namespace: string, reader: ValueSourceReader, options: ResolveHeadersOptions = {}): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const header of headers ?? []) {
    const value = await resolveHeaderValue(header, namespace, reader, options);
    if (value !== undefined) resolved[header.name] = value;
  }
  return resolved;
}

async function resolveHeaderValue(header: Header, namespace: string, reader: ValueSourceReader, options: ResolveHeadersOptions): Promise<string | undefined> {
  if (header.value.value) return header.value.value;
  const from = header.value.valueFrom;
  try {
    if (from?.secretKeyRef) return await resolveSecretKey(from.secretKeyRef, namespace, reader);
    if (from?.configMapKeyRef) return await resolveConfigMapKey(from.configMapKeyRef, namespace, reader);
    if (from?.queryParameterRef) {
      if (!options.queryParameters) return undefined;
      const value = options.queryParameters[from.queryParameterRef.name];
      if (value === undefined) throw new ValueSourceError(`query parameter "${from.queryParameterRef.name}" not found in the query's spec.parameters`);
      return value;
    }
    throw new ValueSourceError("header value must specify either value or valueFrom.secretKeyRef (or valueFrom.configMapKeyRef, valueFrom.queryParameterRef)");
  } catch (err) {
    if (err instanceof ValueSourceError) throw new ValueSourceError(`header ${header.name}: ${err.message}`, { cause: err });
    throw err;
  }
}
